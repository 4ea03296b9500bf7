// A test app that reports, on request, what it can reach from inside its container:
//   GET /probe?host=H&port=P  → {"connected": true|false, "error": "..."}  (TCP connect, 1.5 s timeout)
//   GET /fetch?host=H&port=P  → {"status": N, "body": "..."} or {"error": "..."}  (HTTP GET /, 2 s timeout):
//                               who answered, where something on the path (a proxy) may accept any connection
//   GET /info                 → {"gateway": "...", "addresses": [...], "dockerSocket": false, ...}
const fs = require('node:fs');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const port = Number(process.env.PORT || 3000);

function probe(host, targetPort) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: targetPort });
    const done = (result) => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(1500, () => done({ connected: false, error: 'timeout' }));
    socket.on('connect', () => done({ connected: true }));
    socket.on('error', (err) => done({ connected: false, error: err.code || err.message }));
  });
}

function fetchFrom(host, targetPort) {
  return new Promise((resolve) => {
    const req = http.get({ host, port: targetPort, path: '/', timeout: 2000, agent: false }, (res) => {
      let body = '';
      res.on('data', (d) => (body = (body + d).slice(0, 500)));
      res.on('end', () => resolve({ status: res.statusCode, body }));
      res.on('error', (err) => resolve({ error: err.code || err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (err) => resolve({ error: err.code || err.message }));
  });
}

/** The default route's gateway from /proc/net/route (little-endian hex). */
function gateway() {
  const rows = fs.readFileSync('/proc/net/route', 'utf8').trim().split('\n').slice(1);
  for (const row of rows) {
    const [, destination, hex] = row.trim().split(/\s+/);
    if (destination === '00000000') return [3, 2, 1, 0].map((i) => parseInt(hex.slice(i * 2, i * 2 + 2), 16)).join('.');
  }
  return null;
}

http
  .createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    res.setHeader('content-type', 'application/json');
    if (url.pathname === '/probe') {
      res.end(JSON.stringify(await probe(url.searchParams.get('host'), Number(url.searchParams.get('port')))));
    } else if (url.pathname === '/fetch') {
      res.end(JSON.stringify(await fetchFrom(url.searchParams.get('host'), Number(url.searchParams.get('port')))));
    } else if (url.pathname === '/info') {
      const addresses = Object.values(os.networkInterfaces()).flat().filter((a) => a.family === 'IPv4').map((a) => a.address);
      const sockets = ['/var/run/docker.sock', '/run/docker.sock'].filter((p) => fs.existsSync(p));
      res.end(JSON.stringify({ gateway: gateway(), addresses, dockerSockets: sockets, env: Object.keys(process.env) }));
    } else {
      res.end(JSON.stringify({ prober: true, path: req.url, app: process.env.APP_NAME || null }));
    }
  })
  .listen(port, () => console.log(`prober listening on ${port}`));
