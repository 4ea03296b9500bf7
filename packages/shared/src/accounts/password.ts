import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * Password hashing: argon2id through @node-rs/argon2 (RustCrypto's argon2,
 * prebuilt binaries, no install script; it runs on libuv's thread pool, not
 * on the event loop).
 *
 * The cost: 19 MiB of memory, 3 passes, 1 lane. OWASP's floor for argon2id
 * is m=19 MiB, t=2; one pass more puts a verify at ~50–150 ms on this
 * project's 2-core machine (measured 2026-12-06 on the pinned Node 24.21:
 * 45 ms at best, 100–150 ms median with the machine under load 13–15).
 * A hash is a PHC string (`$argon2id$v=19$m=19456,t=3,p=1$salt$hash`) that
 * names its own cost, so raising the cost later needs no migration: a hash
 * made with less is re-made at the next sign-in (`needsRehash`).
 */
export const passwordCost = { memoryCost: 19456, timeCost: 3, parallelism: 1 } as const;

/** Algorithm.Argon2id: the package's enum is a const enum, which isolated modules cannot read. */
const argon2id: Algorithm.Argon2id = 2;
const options = { algorithm: argon2id, ...passwordCost };

/** Shortest and longest passwords accepted (the longest bounds the work one request can ask for). */
export const passwordLength = { min: 10, max: 256 } as const;

/** Why a new password is refused, or undefined when it is acceptable. */
export function passwordProblem(password: string): string | undefined {
  if (password.length < passwordLength.min) return `a password has at least ${passwordLength.min} characters`;
  if (password.length > passwordLength.max) return `a password has at most ${passwordLength.max} characters`;
  return undefined;
}

export async function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

let dummy: Promise<string> | undefined;

/** A hash of a random password with the same cost: what an unknown email is checked against. */
function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(16).toString('base64url'));
  return dummy;
}

/**
 * True when `password` matches `stored`. With no stored hash (an unknown
 * email, or a user who has not set a password yet) it still does one full
 * verify, against a dummy hash, and answers false: a failed sign-in takes
 * the same time whether or not the account exists. Over-long input is
 * verified (and refused) the same way, never hashed at its full length.
 */
export async function verifyPassword(stored: string | null | undefined, password: string): Promise<boolean> {
  const usable = typeof stored === 'string' && stored.startsWith('$argon2') && password.length <= passwordLength.max;
  const candidate = usable ? password : password.slice(0, passwordLength.max);
  try {
    const matched = await verify(usable ? stored : await dummyHash(), candidate);
    return usable && matched;
  } catch {
    return false;
  }
}

/** True when `stored` was made with a cost other than today's (re-hash it after a successful sign-in). */
export function needsRehash(stored: string): boolean {
  const { memoryCost: m, timeCost: t, parallelism: p } = passwordCost;
  return !stored.startsWith(`$argon2id$v=19$m=${m},t=${t},p=${p}$`);
}

/** Computes the dummy hash ahead of time, so the first unknown-email sign-in is not the slow one. */
export async function warmPasswordHashing(): Promise<void> {
  await dummyHash();
}
