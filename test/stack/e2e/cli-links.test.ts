import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { berth, fails, ok, scratch, stack, useCliStack } from './cli-setup.ts';

// Issue 24, door 7, end to end: `berth deploy <dir>` packs links as links and
// refuses one that leaves the folder; what builds print reaches the terminal
// without its control sequences.
useCliStack();

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

  const out = await fails(['deploy', dir], `berth: ${path.join(dir, 'public', 'x')} -> ${credentials}: the symbolic link leads outside ${dir}`);
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

  const out = await ok(['deploy', dir]);
  // The build's own line (the Step line above it quotes the command): only the colour is left.
  expect(out).toContain('\nosc-marker \u001b[32mgreen\u001b[0m\n');
  expect(out).toContain('\ninside-marker\n');
  expect(out).not.toContain('\u001b]');
  expect(out).not.toContain('\u001b[2A');
  expect(out).not.toContain('\u0007');
  const id = /deployment ([a-z0-9]{12}) queued/.exec(out)![1]!;
  expect((await berth(['rm', id])).out).toContain(`${id} stopped`);
}, 180_000);
