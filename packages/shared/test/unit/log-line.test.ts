import { describe, expect, it } from 'vitest';
import { LineSplitter, maxLineLength } from '../../src/log-line.ts';

describe('LineSplitter', () => {
  it('joins chunks that are not line-aligned', () => {
    const s = new LineSplitter();
    expect(s.push('hel')).toEqual([]);
    expect(s.push('lo\nwor')).toEqual(['hello']);
    expect(s.push('ld\r\nlast')).toEqual(['world']);
    expect(s.flush()).toEqual(['last']);
    expect(s.flush()).toEqual([]);
  });

  it('keeps the final state of a carriage-return progress line', () => {
    const s = new LineSplitter();
    expect(s.push('progress 10%\rprogress 50%\rprogress 100%\ndone\n')).toEqual(['progress 100%', 'done']);
    expect(s.push('trailing\r\r\n')).toEqual(['trailing']);
  });

  it('keeps ANSI colours but drops control bytes that could break a consumer', () => {
    const s = new LineSplitter();
    expect(s.push('\u001b[32mgreen\u001b[0m\u0000\u0007\tTab\n')).toEqual(['\u001b[32mgreen\u001b[0m\tTab']);
  });

  it('splits an overlong line instead of dropping it, and keeps memory bounded', () => {
    const s = new LineSplitter();
    const huge = 'x'.repeat(maxLineLength * 5 + 3);
    const out = [...s.push(huge), ...s.push('\n')];
    expect(out.join('')).toBe(huge);
    expect(Math.max(...out.map((l) => l.length))).toBeLessThanOrEqual(maxLineLength);
  });
});
