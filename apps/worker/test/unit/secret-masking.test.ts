import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineSplitter, maxLineLength, maxRawLineLength, type LogLine } from '@berth/shared/log-line';
import type { Logger } from '@berth/shared/logger';
import { dockerFrame } from '@berth/testing/docker-frames';
import { readTimestampedLines } from '../../src/docker/docker-log-stream.ts';
import { LogSink, maskableSecrets, type LogSinkOptions } from '../../src/log-sink.ts';
import { SecretBox } from '@berth/shared/secret-box';
import { secretsToMask } from '../../src/secret-masking.ts';

// Door 8 of issue 24: values that masking let through (all digits, short
// words, characters the line cleaner drops), and a secret cut in two where a
// long line without a newline is handed on in pieces.

const mask = '••••••';

/** A sink over fakes of Redis and the log store: what it stores, in order. */
function fakeSink(env: Record<string, string>): { sink: LogSink; stored: LogLine[] } {
  const stored: LogLine[] = [];
  let seq = 0;
  const redis = {
    set: () => Promise.resolve('OK'),
    incrby: (_key: string, n: number) => Promise.resolve((seq += n)),
    eval: (_script: string, _keys: number, _key: string, n: number) => Promise.resolve((seq += n)),
    publish: () => Promise.resolve(0),
  };
  const logs = {
    maxSeq: () => Promise.resolve(0),
    append: (_id: string, lines: readonly LogLine[]) => Promise.resolve(void stored.push(...lines)),
  };
  const logger = { warn: () => {}, error: () => {} } as unknown as Logger;
  const options = { redis, logs, instance: 't', deploymentId: 'd1', flushMs: 5, logger, secrets: maskableSecrets(env) };
  return { sink: new LogSink(options as unknown as LogSinkOptions), stored };
}


const stamp = (i: number) => `2026-12-06T10:00:00.${String(i).padStart(9, '0')}Z`;

describe('which values are masked', () => {
  it('every value of 6 characters or more, whatever its characters (a PIN, a card number, a word)', () => {
    const env = { PIN: '4111111111111111', CODE: '123456', FLAG: 'enabled', WORD: 'offset', SHORT: '8080', TINY: 'ab' };
    const secrets = maskableSecrets(env);
    for (const value of ['4111111111111111', '123456', 'enabled', 'offset']) expect(secrets).toContain(value);
    // Under 4 characters, or 4-5 characters that are digits or a config word: never (see docs/security.md).
    expect(secrets).not.toContain('8080');
    expect(secrets).not.toContain('ab');
    // 4-5 characters otherwise are masked as before: no value masked yesterday is shown today.
    expect(maskableSecrets({ A: 'hunt2' })).toEqual(['hunt2']);
  });

  it('a value with a character the line cleaner drops, and a value printed as JSON, are masked as stored', async () => {
    const bell = 'pin\u0007-4711-0815';
    const quoted = 'pa"ss\\word-42';
    const { sink, stored } = fakeSink({ BELL: bell, QUOTED: quoted });
    const splitter = new LineSplitter(maxRawLineLength);
    const lines = splitter.push(`token ${bell} end\n${JSON.stringify({ password: quoted })}\n`);
    for (const line of lines) sink.write('runtime', line);
    await sink.close();
    const text = stored.map((l) => l.line).join('\n');
    expect(text).not.toContain('pin-4711-0815');
    expect(text).not.toContain('ss\\\\word-42');
    expect(text).toBe(`token ${mask} end\n{"password":"${mask}"}`);
  });
});

describe('a secret across the cut of a long line without a newline', () => {
  const secret = '4929123412341234';
  const mib = 1024 * 1024;
  // Over 4 MiB: the splitter hands it on in 1 MiB pieces before its newline
  // comes; the secret starts 5 characters before the first cut.
  const overflowing = `${'a'.repeat(mib - 5)}${secret}${'b'.repeat(4 * mib)}`;
  // Between 1 and 4 MiB: the whole line is cut into 1 MiB pieces; the secret straddles the second cut.
  const cutWhole = `${'c'.repeat(2 * mib - 9)}${secret}${'d'.repeat(1000)}`;

  it('is masked in runtime output (16 KiB Docker frames, stderr between them), and every other character is stored once', async () => {
    const { sink, stored } = fakeSink({ CARD: secret });
    const out = `${overflowing}\n${cutWhole}\n`;
    const frames: Buffer[] = [];
    let i = 0;
    let errors = 0;
    for (let at = 0; at < out.length; at += 16 * 1024) {
      frames.push(dockerFrame(1, `${stamp(++i)} ${out.slice(at, at + 16 * 1024)}`));
      if (i % 50 === 0) frames.push(dockerFrame(2, `${stamp(++i)} err ${++errors}\n`));
    }
    await readTimestampedLines(Readable.from(frames), {
      sinceSeconds: 0,
      signal: new AbortController().signal,
      onLine: ({ ts, line, source = 'stdout', continues = false }) => sink.write('runtime', line, ts, { source, continues }),
    });
    await sink.close();
    expect(Math.max(...stored.map((l) => l.line.length))).toBeLessThanOrEqual(maxLineLength);
    const rows = stored.map((l) => l.line);
    const errs = rows.filter((l) => l.startsWith('err '));
    expect(errs).toEqual(Array.from({ length: errors }, (_, n) => `err ${n + 1}`));
    const joined = rows.filter((l) => !l.startsWith('err ')).join('');
    // Booleans: a failure must not print 7 MiB of text.
    expect(joined.includes(secret.slice(0, 8)), 'the first half of the secret is stored').toBe(false);
    expect(joined.includes(secret.slice(8)), 'the second half of the secret is stored').toBe(false);
    expect(joined.length).toBe(overflowing.length + cutWhole.length - 2 * (secret.length - mask.length));
    expect(joined === overflowing.replace(secret, mask) + cutWhole.replace(secret, mask), 'every other character, once, in order').toBe(true);
    expect(stored.map((l) => l.seq)).toEqual(stored.map((_, n) => n + 1));
  });
});

describe('the window and a follower that resumes', () => {
  it('a follower that skips the pieces already stored moves the window as the first one did: nothing lost or repeated', async () => {
    const secret = 'sk_live_0123456789';
    const pieces = ['x'.repeat(100) + secret.slice(0, 7), secret.slice(7) + 'y'.repeat(50) + secret.slice(0, 3), secret.slice(3) + 'z'];
    const parts = pieces.map((line, i) => ({ line, part: { source: 'stdout', continues: i < pieces.length - 1 } }));
    const whole = fakeSink({ S: secret });
    for (const { line, part } of parts) whole.sink.write('runtime', line, stamp(1), part);
    await whole.sink.close();
    const expected = whole.stored.map((l) => l.line).join('');
    expect(expected).toBe(`${'x'.repeat(100)}${mask}${'y'.repeat(50)}${mask}z`);

    // The first follower stored the first piece's rows and died (what it held back died with it,
    // like the rest of the line in its splitter); the next one skips that piece and goes on.
    const first = fakeSink({ S: secret });
    first.sink.write('runtime', parts[0]!.line, stamp(1), parts[0]!.part);
    await first.sink.flush();
    const resumed = fakeSink({ S: secret });
    expect(resumed.sink.pieces(parts[0]!.line, 'runtime', parts[0]!.part)).toBe(first.stored.length);
    for (const { line, part } of parts.slice(1)) resumed.sink.write('runtime', line, stamp(2), part);
    await resumed.sink.close();
    expect([...first.stored, ...resumed.stored].map((l) => l.line).join('')).toBe(expected);
  });
});

describe('service passwords (issue 29)', () => {
  it('are masked with the env: an app that prints its DATABASE_URL shows no password', () => {
    const box = new SecretBox(Buffer.alloc(32, 7));
    const deployment = { project: 'shop', env: { A: 'plain-value' }, env_sealed: null, build_env_sealed: null, git_url: null } as never;
    const secrets = secretsToMask(box, deployment, [], ['Zx9-generated-password-32chars_ab']);
    expect(secrets).toEqual(expect.arrayContaining(['Zx9-generated-password-32chars_ab', 'plain-value']));
    expect(secrets.map((s) => s.length)).toEqual([...secrets.map((s) => s.length)].sort((a, b) => b - a));
  });
});
