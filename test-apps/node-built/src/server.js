const http = require('node:http');
const { greet } = require('greeting');
const message = 'v1';
http
  .createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ app: 'node-built', greeting: greet('berth'), message, path: req.url }));
  })
  .listen(Number(process.env.PORT || 3000));
