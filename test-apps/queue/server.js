// The web process of test-apps/queue: / says the version, /state what the workers wrote on the
// volume and how web was started, /exit-worker asks one worker to exit.
const fs = require('node:fs');
const http = require('node:http');
const version = fs.readFileSync(`${__dirname}/version.txt`, 'utf8').trim();
const read = (file) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    if (req.url === '/state') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ version, webFrom: process.env.WEB_FROM ?? null, consumed: read('/data/consumed.log') }));
    }
    if (req.url === '/exit-worker') {
      fs.writeFileSync('/data/exit-once', '');
      return res.end('asked');
    }
    res.end(version);
  })
  .listen(Number(process.env.PORT || 3000));
