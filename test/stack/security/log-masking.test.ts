import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maxLineLength, stripAnsi } from '@berth/shared/log-line';
import { LogSink, maskableSecrets, type LogSinkOptions } from '@berth/worker/log-sink';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// Env values are masked in stored logs. An app (or a careless build) prints
// one where the stored form used to let it through: cut in two at the 16 KiB
// line split, or broken up by an ANSI code that the text view then strips;
// an all-digit value, or one across the 1 MiB cuts of a line without a newline.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false });
});
afterAll(async () => {
  await stack?.close();
});

const mask = '••••••';
const secret = `sk_${randomBytes(10).toString('hex')}`;
// The secret straddles the point where long lines are cut into stored lines.
const before = 'a'.repeat(maxLineLength - 7);
const after = 'b'.repeat(50);

/** Prints the two hostile lines; the build passes the secret as an argument, the app reads its env. */
const printer = `
const secret = process.argv[2] || process.env.API_KEY;
console.log(${JSON.stringify(before)} + secret + ${JSON.stringify(after)});
console.log('ansi: ' + secret.slice(0, 3) + '\\u001b[0m' + secret.slice(3) + ' end');
`;
const server = `require('./print.js');
require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));
`;

function leaks(text: string): boolean {
  // eslint-disable-next-line no-control-regex
  const plain = text.replace(/\u001b\[[0-9;?]*[ -/]*[@-~]/g, '');
  // Joined without separators too: two halves in consecutive lines are a leak.
  return [text, plain, text.replaceAll('\n', ''), plain.replaceAll('\n', '')].some((t) => t.includes(secret));
}

describe('secrets are masked before lines are cut and whatever ANSI codes surround them', () => {
  it('in build output and runtime output, read as JSON and as text', async () => {
    const archive = await zipEntries([
      {
        name: 'Dockerfile',
        content: `FROM berth/node:24\nWORKDIR /app\nCOPY . /app/\nRUN node /app/print.js ${secret}\nCMD ["node", "/app/server.js"]\n`,
      },
      { name: 'print.js', content: printer },
      { name: 'server.js', content: server },
    ]);
    const created = await createDeployment(stack, { archive, fields: { env: JSON.stringify({ API_KEY: secret }) } });
    expect(await settled(stack, created.id, 90_000)).toMatchObject({ status: 'running' });
    // The runtime output arrives once the follower has attached.
    await waitFor('the app output in the logs', async () => {
      const lines = await logLines(stack, created.id);
      return lines.some((l) => l.stream === 'runtime' && l.line.startsWith('ansi: '));
    });

    const lines = await logLines(stack, created.id);
    for (const stream of ['build', 'runtime'] as const) {
      const mine = lines.filter((l) => l.stream === stream).map((l) => l.line);
      const joined = mine.join('\n');
      expect(leaks(joined), `${stream} lines leak the secret`).toBe(false);
      expect(mine.join(''), `${stream}: the long line is stored whole and masked`).toContain(`aaaa${mask}bbbb`);
      expect(mine.some((l) => l.startsWith('ansi: ') && l.includes(mask)), `${stream}: the ANSI line is masked`).toBe(true);
      expect(Math.max(...mine.map((l) => l.length))).toBeLessThanOrEqual(maxLineLength);

      const text = await stack.inject({ method: 'GET', url: `/api/deployments/${created.id}/logs?format=text&limit=10000&stream=${stream}` });
      expect(text.statusCode).toBe(200);
      expect(leaks(text.body), `${stream} text view leaks the secret`).toBe(false);
      expect(text.body).toContain(mask);
    }
    // Berth's own lines (the build step echoes the Dockerfile's command) went through the same masking.
    expect(leaks(lines.map((l) => l.line).join('\n'))).toBe(false);
    await stack.inject({ method: 'DELETE', url: `/api/deployments/${created.id}` });
  });

  it("in Berth's system lines and in the failed deployment's errorMessage", async () => {
    // The builder's error repeats the failing command, secret included: it
    // becomes a system line and the deployment's errorMessage.
    const archive = await zipEntries([
      { name: 'Dockerfile', content: `FROM berth/node:24\nRUN echo building && exit 3 || ${secret}\n` },
    ]);
    const created = await createDeployment(stack, { archive, fields: { env: JSON.stringify({ API_KEY: secret }) } });
    const final = await settled(stack, created.id, 90_000);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
    expect(final.errorMessage).toContain(mask);
    expect(leaks(final.errorMessage)).toBe(false);
    const lines = await logLines(stack, created.id);
    const system = lines.filter((l) => l.stream === 'system').map((l) => l.line);
    expect(system.at(-1)).toContain(mask);
    expect(leaks(lines.map((l) => l.line).join('\n'))).toBe(false);
  });

  it('the password of a git URL with credentials (stored before the API refused them), in the logs and the errorMessage', async () => {
    const token = `ghp_${randomBytes(12).toString('hex')}`;
    // The API refuses such URLs now (test/security/secrets-in-logs); a row from an older
    // version can still hold one. Make one: pause the workers, swap the URL in, resume.
    for (const w of stack.workers) await w.worker.pause();
    const created = await createDeployment(stack, { gitUrl: 'http://127.0.0.1:1/repo.git' });
    await stack.db.db
      .updateTable('deployments')
      .set({ git_url: `http://berth:${token}@127.0.0.1:1/repo.git` })
      .where('id', '=', created.id)
      .execute();
    for (const w of stack.workers) await w.worker.resume();
    const final = await settled(stack, created.id);
    // The worker checks the URL again before cloning, and refuses it without echoing it.
    expect(final).toMatchObject({ status: 'failed', errorCode: 'INVALID_GIT_URL' });
    expect(final.errorMessage).not.toContain(token);
    const lines = (await logLines(stack, created.id)).map((l) => l.line);
    expect(lines.some((l) => l.startsWith('cloning http://berth:') && l.includes(mask))).toBe(true);
    expect(lines.join('\n')).not.toContain(token);
    expect(JSON.stringify((await stack.inject({ method: 'GET', url: `/api/deployments/${created.id}` })).json())).not.toContain(token);
  });
});

describe('masking rules that need no deployment', () => {
  const sinkWith = (env: Record<string, string>) => new LogSink({ secrets: maskableSecrets(env) } as unknown as LogSinkOptions);

  it('masks each line of a multi-line value (a PEM key is printed line by line)', () => {
    const key = '-----BEGIN KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END KEY-----';
    const sink = sinkWith({ KEY: key });
    for (const line of key.split('\n')) expect(sink.mask(`KEY=${line}`)).not.toContain(line);
  });

  it('sees through colon-form colour codes and drops cursor moves that rebuild a secret on a terminal', () => {
    const sink = sinkWith({ S: 'supersecret' });
    expect(stripAnsi(sink.mask('super\u001b[38:5:1msecret'))).not.toContain('supersecret');
    expect(sink.mask('super\u001b[38:5:1msecret')).not.toMatch(/super.*secret/);
    const moved = sink.mask('   ecret\u001b[8Dsup\u001b[1Cr');
    expect(moved).not.toContain('\u001b');
    // Colours alone are kept as they are.
    expect(sink.mask('\u001b[32mok\u001b[0m')).toBe('\u001b[32mok\u001b[0m');
  });
});

describe('every value of 6 characters or more is masked, also across the cuts of a long line (issue 24, door 8)', () => {
  const card = `4${String(Date.now()).padStart(15, '7')}`.slice(0, 16);
  const pin = '271828';
  const mib = 1024 * 1024;
  // Over 4 MiB: cut into 1 MiB pieces before its newline comes; the card starts 5 characters before the first cut.
  const overflowing = { before: mib - 5, after: 4 * mib };
  // Between 1 and 4 MiB: cut into 1 MiB pieces as a whole; the card straddles the second cut.
  const cutWhole = { before: 2 * mib - 9, after: 1000 };

  const cardPrinter = `
const card = ${JSON.stringify(card)};
process.stdout.write('pin=' + ${JSON.stringify(pin)} + ' card=' + card + '\\n');
process.stdout.write('a'.repeat(${overflowing.before}) + card + 'b'.repeat(${overflowing.after}) + '\\n');
process.stdout.write('c'.repeat(${cutWhole.before}) + card + 'd'.repeat(${cutWhole.after}) + '\\n');
process.stdout.write('printed\\n');
`;

  const count = (text: string, ch: string) => text.split(ch).length - 1;

  /** Every stored line, page by page (a response holds MAX_LOG_RESPONSE_BYTES at most). */
  async function allLines(id: string): Promise<{ stream: string; line: string }[]> {
    const lines: { stream: string; line: string }[] = [];
    for (let since = 0; ; ) {
      const page = (await stack.inject({ method: 'GET', url: `/api/deployments/${id}/logs?limit=10000&since=${since}` })).json();
      lines.push(...page.lines);
      if (!page.hasMore) return lines;
      since = page.nextSince;
    }
  }

  it('in build and runtime output: no half of the card, and every other character stored once', async () => {
    const archive = await zipEntries([
      { name: 'Dockerfile', content: 'FROM berth/node:24\nWORKDIR /app\nCOPY . /app/\nRUN node /app/print.js\nCMD ["node", "/app/server.js"]\n' },
      { name: 'print.js', content: cardPrinter },
      { name: 'server.js', content: server },
    ]);
    const created = await createDeployment(stack, { archive, fields: { env: JSON.stringify({ CARD: card, PIN: pin }) } });
    expect(await settled(stack, created.id, 120_000)).toMatchObject({ status: 'running' });
    await waitFor('the app output in the logs', async () => {
      const lines = await allLines(created.id);
      return lines.some((l) => l.stream === 'runtime' && l.line === 'printed');
    }, 30_000);

    const lines = await allLines(created.id);
    for (const stream of ['build', 'runtime'] as const) {
      const joined = lines.filter((l) => l.stream === stream).map((l) => l.line).join('');
      // Booleans: a failure must not print megabytes.
      expect(joined.includes(card.slice(0, 8)), `${stream}: the card's first half is stored`).toBe(false);
      expect(joined.includes(card.slice(8)), `${stream}: the card's second half is stored`).toBe(false);
      expect(joined.includes(pin), `${stream}: the PIN is stored`).toBe(false);
      expect(joined.includes(`pin=${mask} card=${mask}`), `${stream}: the short line is masked`).toBe(true);
      const long = `${'a'.repeat(overflowing.before)}${mask}${'b'.repeat(overflowing.after)}`;
      expect(joined.includes(long), `${stream}: the >4 MiB line is stored whole, masked`).toBe(true);
      const middle = `${'c'.repeat(cutWhole.before)}${mask}${'d'.repeat(cutWhole.after)}`;
      expect(joined.includes(middle), `${stream}: the 2 MiB line is stored whole, masked`).toBe(true);
      expect(count(joined, 'b'), `${stream}: no character twice`).toBeLessThan(overflowing.after + 100);
    }
    await stack.inject({ method: 'DELETE', url: `/api/deployments/${created.id}` });
  });
});
