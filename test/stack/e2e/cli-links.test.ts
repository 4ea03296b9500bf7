import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { testAppsDir } from '@berth/testing/archives';
import { startStack, testToken, type Stack } from '@berth/testing/stack';

// Issue 24, door 7, end to end: `berth deploy <dir>` packs links as links and
// refuses one that leaves the folder; what builds print reaches the terminal
// without its control sequences.
const root = path.resolve(testAppsDir, '..');
let stack: Stack;
let scratch: string;
beforeAll(async () => {
  stack = await startStack({ router: false });
  scratch = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-links-'));
});
afterAll(async () => {
  await stack?.close();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function berth(args: string[]): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn('node', ['apps/cli/bin/berth.mjs', ...args], {
      cwd: root,
      env: { ...process.env, BERTH_URL: stack.apiUrl, BERTH_TOKEN: testToken },
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (out += d));
    child.on('exit', (code) => resolve({ code, out }));
  });
}

function folder(name: string, dockerfile: string): string {
  const dir = path.join(scratch, name);
  mkdirSync(path.join(dir, 'public'), { recursive: true });
  writeFileSync(path.join(dir, 'Dockerfile'), dockerfile);
  writeFileSync(path.join(dir, 'public', 'index.html'), 'inside-marker\n');
  writeFileSync(path.join(dir, 'nonce'), String(Math.random())); // no layer cache: the RUN step prints
  return dir;
}

it('refuses a folder with a link to a file outside it, naming the link, and uploads nothing', async () => {
  const credentials = path.join(scratch, 'credentials');
  writeFileSync(credentials, 'aws_secret_access_key=outside-secret-marker\n');
  const dir = folder('outside', 'FROM berth/node:24\nCOPY . /app/\nRUN cat /app/public/x\n');
  symlinkSync(credentials, path.join(dir, 'public', 'x'));
  const before = (await stack.inject({ method: 'GET', url: '/api/deployments' })).json();

  const { code, out } = await berth(['deploy', dir]);
  expect(code).toBe(1);
  expect(out).toContain(`berth: ${path.join(dir, 'public', 'x')} -> ${credentials}: the symbolic link leads outside ${dir}`);
  expect(out).not.toContain('outside-secret-marker');
  expect(out).not.toContain('uploading');
  expect((await stack.inject({ method: 'GET', url: '/api/deployments' })).json()).toEqual(before);
});

it('deploys a folder with links inside it (kept as links), and prints build lines without control sequences', async () => {
  const dir = folder(
    'inside',
    'FROM berth/node:24\nCOPY . /app/\n' +
      // A clipboard write (OSC 52), a window title and a cursor move around a marker, then the file through the link.
      `RUN printf '\\033]52;c;cHduZWQ=\\007\\033]0;pwned\\007\\033[2Aosc-marker \\033[32mgreen\\033[0m\\n' && cat /app/public/home.html && test -L /app/public/home.html\n` +
      'CMD ["node", "-e", "require(\'http\').createServer((q, s) => s.end(\'ok\')).listen(3000)"]\n',
  );
  symlinkSync('index.html', path.join(dir, 'public', 'home.html'));
  symlinkSync('..', path.join(dir, 'public', 'up')); // followed, the old walk never ended

  const { code, out } = await berth(['deploy', dir]);
  expect(code, out).toBe(0);
  // The build's own line (the Step line above it quotes the command): only the colour is left.
  expect(out).toContain('\nosc-marker \u001b[32mgreen\u001b[0m\n');
  expect(out).toContain('\ninside-marker\n');
  expect(out).not.toContain('\u001b]');
  expect(out).not.toContain('\u001b[2A');
  expect(out).not.toContain('\u0007');
  const id = /deployment ([a-z0-9]{12}) queued/.exec(out)![1]!;
  expect((await berth(['rm', id])).out).toContain(`${id} stopped`);
}, 180_000);
