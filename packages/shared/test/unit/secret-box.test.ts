import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config.ts';
import { loadSecretBox, SecretBox } from '../../src/secret-box.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tempDir = async () => {
  const d = await mkdtemp(path.join(os.tmpdir(), 'berth-key-'));
  dirs.push(d);
  return d;
};

describe('SecretBox', () => {
  const box = new SecretBox(randomBytes(32));

  it('seals env values so the text holds none of them, and opens them again', () => {
    const env = { DATABASE_URL: 'postgres://u:hunter2@db/x', EMPTY: '', UNICODE: 'ключ 🔑' };
    const sealed = box.seal(env);
    expect(sealed).not.toContain('hunter2');
    // v2 since issue 24 (door 11): a key id and a place; v1 values still open (sealed-values.test.ts).
    expect(sealed.startsWith(`v2.${box.keyId}.`)).toBe(true);
    expect(box.open(sealed)).toEqual(env);
    expect(box.seal(env)).not.toBe(sealed); // a fresh nonce each time
  });

  it('refuses a tampered value (SECRET_MISPLACED: altered in the database), another key, and an unknown format (SECRET_UNREADABLE)', () => {
    const sealed = box.seal({ A: 'secret-value' });
    const parts = sealed.split('.');
    const flipped = Buffer.from(parts[4]!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    const tampered = [...parts.slice(0, 4), flipped.toString('base64url')].join('.');
    expect(() => box.open(tampered)).toThrow(expect.objectContaining({ code: 'SECRET_MISPLACED' }));
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    expect(() => box.open('v0.a.b.c')).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
  });

  it('reads plain env of rows made before sealing', () => {
    expect(box.openOr(null, { A: '1' })).toEqual({ A: '1' });
    expect(box.openOr(box.seal({ B: '2' }), { B: '' })).toEqual({ B: '2' });
  });
});

describe('loadSecretBox', () => {
  it('generates the key file once (mode 0600); programs starting together get the same key', async () => {
    const file = path.join(await tempDir(), 'secret.key');
    const boxes = await Promise.all(Array.from({ length: 5 }, () => loadSecretBox({ BERTH_SECRET_KEY_FILE: file })));
    const sealed = boxes[0]!.seal({ K: 'v' });
    for (const b of boxes) expect(b.open(sealed)).toEqual({ K: 'v' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toMatch(/^[0-9a-f]{64}$/);
  });

  it('takes BERTH_SECRET_KEY as hex or base64, and refuses a file without a key or no key at all', async () => {
    const key = randomBytes(32);
    const sealed = (await loadSecretBox({ BERTH_SECRET_KEY: key.toString('hex') })).seal({ K: 'v' });
    expect((await loadSecretBox({ BERTH_SECRET_KEY: key.toString('base64') })).open(sealed)).toEqual({ K: 'v' });
    const bad = path.join(await tempDir(), 'bad.key');
    await writeFile(bad, 'not a key\n');
    await expect(loadSecretBox({ BERTH_SECRET_KEY_FILE: bad })).rejects.toBeInstanceOf(ConfigError);
    await expect(loadSecretBox({})).rejects.toBeInstanceOf(ConfigError);
  });
});
