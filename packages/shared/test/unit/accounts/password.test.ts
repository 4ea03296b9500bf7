import { describe, expect, it } from 'vitest';
import {
  hashPassword,
  needsRehash,
  passwordCost,
  passwordLength,
  passwordProblem,
  verifyPassword,
  warmPasswordHashing,
} from '../../../src/accounts/password.ts';

async function fastest(times: number, run: () => Promise<unknown>): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < times; i++) {
    const started = performance.now();
    await run();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

describe('password hashing (argon2id)', () => {
  it('hashes to a salted PHC string that names the documented cost, and verifies only the right password', async () => {
    const stored = await hashPassword('correct horse battery');
    const { memoryCost, timeCost, parallelism } = passwordCost;
    expect(stored).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${memoryCost},t=${timeCost},p=${parallelism}\\$`));
    expect(stored).not.toContain('correct horse');
    expect(await hashPassword('correct horse battery')).not.toBe(stored);
    expect(await verifyPassword(stored, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(stored, '')).toBe(false);
    expect(needsRehash(stored)).toBe(false);
  });

  it('answers false for a missing or malformed hash and an over-long password, without throwing', async () => {
    expect(await verifyPassword(null, 'anything at all')).toBe(false);
    expect(await verifyPassword(undefined, 'anything at all')).toBe(false);
    expect(await verifyPassword('$argon2id$garbage', 'anything at all')).toBe(false);
    expect(await verifyPassword('plain-text', 'plain-text')).toBe(false);
    const long = 'x'.repeat(passwordLength.max + 1);
    expect(await verifyPassword(await hashPassword(long.slice(0, passwordLength.max)), long)).toBe(false);
  });

  it('spends a full verify on an unknown account too, so timing does not tell which emails exist', async () => {
    await warmPasswordHashing();
    const stored = await hashPassword('correct horse battery');
    const known = await fastest(3, () => verifyPassword(stored, 'wrong password here'));
    const unknown = await fastest(3, () => verifyPassword(null, 'wrong password here'));
    // A skipped verify would take well under a millisecond; a full one tens of milliseconds.
    expect(known).toBeGreaterThan(10);
    expect(unknown).toBeGreaterThan(known * 0.4);
  });

  it('asks for a re-hash of hashes made with another cost', () => {
    expect(needsRehash('$argon2id$v=19$m=4096,t=1,p=1$c2FsdHNhbHQ$aGFzaA')).toBe(true);
    expect(needsRehash('$2b$10$abcdefghijklmnopqrstuv')).toBe(true);
  });

  it('refuses passwords too short or too long', () => {
    expect(passwordProblem('short')).toMatch(/at least 10/);
    expect(passwordProblem('x'.repeat(passwordLength.max + 1))).toMatch(/at most/);
    expect(passwordProblem('long enough password')).toBeUndefined();
  });
});
