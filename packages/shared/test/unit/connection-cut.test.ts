import { describe, expect, it } from 'vitest';
import { isConnectionCut, onceMoreIfCut } from '../../src/connection-cut.ts';

const cut = (code = 'ECONNRESET') => Object.assign(new Error(`read ${code}`), { code });

describe('a request whose connection was cut', () => {
  it('is made once more, and its second answer is the answer', async () => {
    let calls = 0;
    expect(await onceMoreIfCut(async () => (++calls === 1 ? Promise.reject(cut('EPIPE')) : 'ok'))).toBe('ok');
    expect(calls).toBe(2);
  });

  it('is not made again for another failure (a refusal, a timeout)', async () => {
    let calls = 0;
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    await expect(onceMoreIfCut(async () => (calls++, Promise.reject(refused)))).rejects.toBe(refused);
    expect(calls).toBe(1);
  });

  it('gives up on a second cut, told as the caller says', async () => {
    let calls = 0;
    const attempt = onceMoreIfCut(async () => (calls++, Promise.reject(new Error('socket hang up'))), { secondCut: () => new Error('reset twice') });
    await expect(attempt).rejects.toThrow('reset twice');
    expect(calls).toBe(2);
  });

  it('knows a cut from the rest', () => {
    expect([cut(), cut('EPIPE'), new Error('socket hang up')].map(isConnectionCut)).toEqual([true, true, true]);
    expect([new Error('timeout'), Object.assign(new Error('x'), { code: 'ECONNREFUSED' }), undefined].map(isConnectionCut)).toEqual([false, false, false]);
  });
});
