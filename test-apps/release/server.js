// A release that says which version it is (version.txt), its env and build arg,
// and answers its health path unless UNHEALTHY is set.
const fs = require('node:fs');
const http = require('node:http');
const version = fs.readFileSync(`${__dirname}/version.txt`, 'utf8').trim();
const greeting = fs.readFileSync(`${__dirname}/greeting.txt`, 'utf8').trim();
console.log(`release ${version} starting with secret ${process.env.SECRET_TOKEN ?? '(none)'}`);
http
  .createServer((req, res) => {
    if (req.url === '/healthz') {
      res.statusCode = process.env.UNHEALTHY ? 500 : 200;
      return res.end(process.env.UNHEALTHY ? 'unhealthy' : 'ok');
    }
    if (req.url === '/info') {
      res.setHeader('content-type', 'application/json');
      return res.end(JSON.stringify({ version, greeting, secret: process.env.SECRET_TOKEN ?? null, mode: process.env.MODE ?? null }));
    }
    if (req.url === '/events') {
      // A long-lived stream (server-sent events): one event every 200 ms until the client leaves.
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      let n = 0;
      const tick = setInterval(() => res.write(`data: ${version} ${++n}\n\n`), 200);
      return req.on('close', () => clearInterval(tick));
    }
    res.end(version);
  })
  .listen(Number(process.env.PORT || 3000));
