/**
 * The app the soak deploys: a buildless Node server on berth/node:24 that prints numbered lines, so a
 * lost, repeated or reordered log line shows (invariants.ts): `soak build 1..30` in its build, then
 * `soak run 1, 2, ...` every RUN_LINE_MS while it runs. A failing release prints but never listens, so
 * its health check fails and the project keeps its release.
 */
import { randomBytes } from 'node:crypto';
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

/** A new archive each time (its nonce busts the build cache, so the build prints its lines). */
export function soakArchive(options: { failing?: boolean } = {}): Promise<Buffer> {
  return zipEntries([
    { name: 'Dockerfile', content: dockerfile },
    { name: 'server.js', content: server },
    { name: 'nonce.txt', content: randomBytes(8).toString('hex') },
    ...(options.failing ? [{ name: 'fail.txt', content: 'this release never listens' }] : []),
  ]);
}
