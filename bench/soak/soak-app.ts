/**
 * The app the soak deploys: a buildless Node server on berth/node:24 that prints numbered lines, so a
 * lost, repeated or reordered log line shows (invariants.ts): `soak build 1..30` in its build, then
 * `soak run 1, 2, ...` every RUN_LINE_MS while it runs. A failing release prints but never listens, so
 * its health check fails and the project keeps its release.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipEntries } from '@berth/testing/archives';
import { buildLineCount } from './invariants.ts';

const dockerfile = `FROM berth/node:24
WORKDIR /app
COPY . /app/
RUN node -e "for (let i = 1; i <= ${buildLineCount}; i++) console.log('soak build ' + i)"
CMD ["node", "/app/server.js"]
`;

const server = `const http = require('node:http');
const fs = require('node:fs');
let n = 0;
const print = () => console.log('soak run ' + ++n);
print();
setInterval(print, 2000);
if (!fs.existsSync('/app/fail.txt')) {
  http.createServer((req, res) => res.end('ok ' + n)).listen(Number(process.env.PORT || 3000));
}
`;

/** The app's files, new each time (its nonce busts the build cache, so the build prints its lines). */
function soakFiles(options: { failing?: boolean }): { name: string; content: string }[] {
  return [
    { name: 'Dockerfile', content: dockerfile },
    { name: 'server.js', content: server },
    { name: 'nonce.txt', content: randomBytes(8).toString('hex') },
    ...(options.failing ? [{ name: 'fail.txt', content: 'this release never listens' }] : []),
  ];
}

/** A new archive each time (soakFiles). */
export function soakArchive(options: { failing?: boolean } = {}): Promise<Buffer> {
  return zipEntries(soakFiles(options));
}

/** A new folder of the app's files each time (soakFiles), for a git push; the caller removes it. */
export function soakFolder(options: { failing?: boolean } = {}): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-soak-app-'));
  for (const f of soakFiles(options)) writeFileSync(path.join(dir, f.name), f.content);
  return dir;
}
