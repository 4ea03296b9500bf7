// A counter kept on a volume (/data): each GET /hit adds one; / says the version, /state what the volume holds.
const fs = require('node:fs');
const http = require('node:http');
// CRASH_AT_START (in the project's env): a release that never comes up, to fail a deployment.
if (process.env.CRASH_AT_START) process.exit(1);
const version = fs.readFileSync(`${__dirname}/version.txt`, 'utf8').trim();
const dir = process.env.DATA_DIR || '/data';
const read = (name, fallback) => {
  try {
    return fs.readFileSync(`${dir}/${name}`, 'utf8');
  } catch {
    return fallback;
  }
};
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    if (req.url === '/hit') {
      fs.mkdirSync(dir, { recursive: true });
      const count = Number(read('count', '0')) + 1;
      fs.writeFileSync(`${dir}/count`, String(count));
      return res.end(String(count));
    }
    if (req.url === '/state') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ version, count: Number(read('count', '0')), migrations: read('migrations.log', '') }));
    }
    res.end(version);
  })
  .listen(Number(process.env.PORT || 3000));
