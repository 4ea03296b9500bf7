const http = require('node:http');
http
  .createServer((req, res) => res.end(`node-main on ${process.version}\n`))
  .listen(Number(process.env.PORT || 3000));
