import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 24, door 8: masking let all-digit values through (a PIN, a card
// number), and a secret straddling the cut of a long line without a newline
// (the worker hands such a line on in 1 MiB pieces) was stored in halves.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false });
});
afterAll(async () => {
  await stack?.close();
});

const mask = '••••••';
const card = `4${String(Date.now()).padStart(15, '7')}`.slice(0, 16);
const pin = '271828';
const mib = 1024 * 1024;
// Over 4 MiB: cut into 1 MiB pieces before its newline comes; the card starts 5 characters before the first cut.
const overflowing = { before: mib - 5, after: 4 * mib };
// Between 1 and 4 MiB: cut into 1 MiB pieces as a whole; the card straddles the second cut.
const cutWhole = { before: 2 * mib - 9, after: 1000 };

const printer = `
const card = ${JSON.stringify(card)};
process.stdout.write('pin=' + ${JSON.stringify(pin)} + ' card=' + card + '\\n');
process.stdout.write('a'.repeat(${overflowing.before}) + card + 'b'.repeat(${overflowing.after}) + '\\n');
process.stdout.write('c'.repeat(${cutWhole.before}) + card + 'd'.repeat(${cutWhole.after}) + '\\n');
process.stdout.write('printed\\n');
`;
const server = `require('./print.js');
require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT));
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

describe('every value of 6 characters or more is masked, also across the cuts of a long line', () => {
  it('in build and runtime output: no half of the card, and every other character stored once', async () => {
    const archive = await zipEntries([
      { name: 'Dockerfile', content: 'FROM berth/node:24\nWORKDIR /app\nCOPY . /app/\nRUN node /app/print.js\nCMD ["node", "/app/server.js"]\n' },
      { name: 'print.js', content: printer },
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
