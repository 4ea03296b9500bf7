import { describe, expect, it } from 'vitest';
import { NewlineSplitter } from '../../src/newline-splitter.ts';

describe('NewlineSplitter', () => {
  it('frames chunks that are not line-aligned, and hands on a last line without a newline', () => {
    const s = new NewlineSplitter({ maxPending: 100, overflow: 'drop' });
    expect(s.push('{"a":')).toEqual([]);
    expect(s.hasPending).toBe(true);
    expect(s.push('1}\n{"b":2}\n{"c"')).toEqual(['{"a":1}', '{"b":2}']);
    expect(s.flush()).toEqual(['{"c"']);
    expect(s.flush()).toEqual([]);
  });

  it('drops a partial line past maxPending when told to (a message too big to keep)', () => {
    const s = new NewlineSplitter({ maxPending: 10, overflow: 'drop' });
    expect(s.push('x'.repeat(11))).toEqual([]);
    expect(s.push('tail\nnext\n')).toEqual(['tail', 'next']);
  });

  it('cuts a partial line past maxPending into pieces when told to (output is never lost)', () => {
    const s = new NewlineSplitter({ maxPending: 8, overflow: { cut: 4 } });
    expect(s.push('abcdefghij')).toEqual(['abcd']);
    expect(s.push('\n')).toEqual(['efghij']);
  });
});
