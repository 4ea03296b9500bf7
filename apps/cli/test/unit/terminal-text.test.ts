import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../../src/terminal-text.ts';

const ESC = '\u001b';
const BEL = '\u0007';

describe('terminalSafe: only colours reach the operator\'s terminal', () => {
  it('keeps plain text, tabs, newlines and SGR colours', () => {
    expect(terminalSafe('npm run build\tok')).toBe('npm run build\tok');
    const coloured = `${ESC}[1;31merror${ESC}[0m ${ESC}[38;2;255;0;0mred${ESC}[m ${ESC}[38:5:208morange${ESC}[39m`;
    expect(terminalSafe(coloured)).toBe(coloured);
    expect(terminalSafe('a\nb')).toBe('a\nb');
    expect(terminalSafe('héllo ✓ 日本')).toBe('héllo ✓ 日本');
  });

  it('strips OSC: clipboard writes, titles and hyperlinks, with BEL or ST, or cut off', () => {
    expect(terminalSafe(`x${ESC}]52;c;Y3VybCBldmlsLnNoIHwgc2g=${BEL}y`)).toBe('xy');
    expect(terminalSafe(`${ESC}]0;pwned${ESC}\\build ok`)).toBe('build ok');
    expect(terminalSafe(`${ESC}]8;;https://evil.example${ESC}\\https://docs.example${ESC}]8;;${ESC}\\`)).toBe('https://docs.example');
    expect(terminalSafe(`ok${ESC}]2;never ends`)).toBe('ok');
    // Ended by the next escape (the worker drops BEL from stored lines): that one is judged on its own.
    expect(terminalSafe(`${ESC}]52;c;eA==${ESC}]0;pwned${ESC}[2Atext ${ESC}[32mgreen${ESC}[0m`)).toBe(`text ${ESC}[32mgreen${ESC}[0m`);
    // The C1 form (U+009D), ended by the C1 ST (U+009C).
    expect(terminalSafe('a\u009d52;c;eA==\u009cb')).toBe('ab');
  });

  it('strips CSI other than SGR: cursor moves, erasing, private modes, queries', () => {
    expect(terminalSafe(`a${ESC}[2Jb${ESC}[1;1Hc${ESC}[?1049h${ESC}[6n${ESC}[2K`)).toBe('abc');
    expect(terminalSafe(`a${ESC}[?25lb`)).toBe('ab'); // a private parameter, even ending in a letter
    expect(terminalSafe(`a${ESC}[>4;1mb`)).toBe('ab'); // ends in m but is not SGR (xterm modifyKeys)
    expect(terminalSafe(`a\u009b2Jb`)).toBe('ab'); // C1 CSI
    expect(terminalSafe(`cut${ESC}[12`)).toBe('cut');
  });

  it('strips DCS, SOS, PM, APC, other escapes and bare ESC', () => {
    expect(terminalSafe(`a${ESC}P+q544e${ESC}\\b`)).toBe('ab');
    expect(terminalSafe(`a${ESC}_apc${ESC}\\b${ESC}^pm${BEL}c${ESC}Xsos${ESC}\\d`)).toBe('abcd');
    expect(terminalSafe(`a${ESC}cb${ESC}(0c${ESC}7d${ESC}`)).toBe('abcd');
  });

  it('strips C0 controls but tab and newline, DEL and C1 controls', () => {
    expect(terminalSafe(`a${BEL}b\u0008c\u0000d\u000be\u000cf\u007fg\u0085h\u008ei`)).toBe('abcdefghi');
  });

  it('turns a carriage return into a newline, so nothing printed hides earlier text; drops the CR of CRLF', () => {
    expect(terminalSafe('rm -rf ~\rbuilding...')).toBe('rm -rf ~\nbuilding...');
    expect(terminalSafe('[##  ] 50%\r[####] 100%')).toBe('[##  ] 50%\n[####] 100%');
    expect(terminalSafe('windows line\r')).toBe('windows line');
    expect(terminalSafe('a\r\nb')).toBe('a\nb');
  });
});
