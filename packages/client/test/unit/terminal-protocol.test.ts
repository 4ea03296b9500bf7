import { describe, expect, it } from 'vitest';
import { parseClientMessage, parseServerMessage, terminalPath } from '../../src/terminal-protocol.ts';

describe("the terminal's protocol", () => {
  it('takes a resize of whole sizes from 1 to 1000, and nothing else', () => {
    expect(parseClientMessage('{"type":"resize","cols":120,"rows":40}')).toEqual({ type: 'resize', cols: 120, rows: 40 });
    for (const text of ['{"type":"resize","cols":0,"rows":40}', '{"type":"resize","cols":1.5,"rows":40}', '{"type":"resize","cols":"80","rows":24}', '{"type":"resize","cols":80,"rows":1001}', '{"type":"exec","cmd":"rm"}', 'not json', 'null']) {
      expect(parseClientMessage(text), text).toBeUndefined();
    }
  });

  it("reads the server's final messages", () => {
    expect(parseServerMessage('{"type":"exit","code":3}')).toEqual({ type: 'exit', code: 3 });
    expect(parseServerMessage('{"type":"closed","reason":"idle","message":"m"}')).toMatchObject({ reason: 'idle' });
    expect(parseServerMessage('{"type":"other"}')).toBeUndefined();
    expect(parseServerMessage('{')).toBeUndefined();
  });

  it('puts the argv in the query one cmd per argument, escaped', () => {
    expect(terminalPath('abc', ['sh', '-c', 'echo a&b; exit 3'], 1)).toBe('/api/deployments/abc/exec?cmd=sh&cmd=-c&cmd=echo+a%26b%3B+exit+3&replica=1');
    expect(terminalPath('abc', [])).toBe('/api/deployments/abc/exec');
  });
});
