const http = require('node:http');
const port = Number(process.env.PORT || 3000);
http
  .createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ hello: 'berth', greeting: process.env.GREETING || null, path: req.url }));
  })
  .listen(port, () => console.log(`listening on ${port}`));
