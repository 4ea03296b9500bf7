import { describe, expect, it } from 'vitest';
import { ansiSpans, finalState, plainText } from '../../src/ansi.ts';

describe('ANSI rendering', () => {
  it('turns SGR colours into classes and drops other escapes', () => {
    expect(ansiSpans('\x1b[1;32mok\x1b[0m done\x1b[2K')).toEqual([
      { text: 'ok', classes: 'fg-2 bold' },
      { text: ' done', classes: '' },
    ]);
    expect(ansiSpans('\x1b[91mhi\x1b[39m')).toEqual([{ text: 'hi', classes: 'fg-9' }]);
    expect(ansiSpans('\x1b[38;5;4mx\x1b[38;2;1;2;3my')).toEqual([
      { text: 'x', classes: 'fg-4' },
      { text: 'y', classes: 'fg-4' },
    ]);
  });

  it('shows a line redrawn with \\r in its final state', () => {
    expect(finalState('10%\r50%\r100%')).toBe('100%');
    expect(finalState('done\r')).toBe('done');
    expect(plainText('\x1b[33mprogress\x1b[0m 5%\rline 9')).toBe('line 9');
  });

  it('keeps markup in log text as text (spans carry strings, never HTML)', () => {
    expect(ansiSpans('<img src=x onerror=alert(1)>')).toEqual([{ text: '<img src=x onerror=alert(1)>', classes: '' }]);
  });
});
