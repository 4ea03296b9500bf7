const http = require('node:http');
http
  .createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ app: 'node-start', node: process.version, env: process.env.NODE_ENV, path: req.url }));
  })
  .listen(Number(process.env.PORT || 3000));
