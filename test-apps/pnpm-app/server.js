// A tiny app installed with pnpm (through Corepack) with one dependency from the npm registry.
const http = require('node:http');
const fs = require('node:fs');
const ms = require('ms');

const port = Number(process.env.PORT ?? 3000);
http
  .createServer((req, res) => {
    if (req.url === '/health') return res.end('ok');
    const layout = fs.existsSync('node_modules/.pnpm') ? 'pnpm' : 'other';
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ app: 'pnpm-app', twoHours: ms('2h'), layout }));
  })
  .listen(port, () => console.log(`pnpm-app listening on ${port}`));
