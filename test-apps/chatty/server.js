// Logs one line per request, and its secret at start (to check masking).
const http = require('node:http');
const port = Number(process.env.PORT || 3000);
console.log(`starting with key ${process.env.API_KEY}`);
let n = 0;
http
  .createServer((req, res) => {
    n++;
    if (req.url === '/crash') {
      console.error('crashing on purpose');
      process.exit(3);
    }
    const count = Number(new URL(req.url, 'http://x').searchParams.get('lines') || 1);
    for (let i = 0; i < count; i++) console.log(`request ${n} line ${i + 1}`);
    if (req.url.startsWith('/err')) console.error(`stderr line for request ${n}`);
    res.end(String(n));
  })
  .listen(port, () => console.log(`listening on ${port}`));
