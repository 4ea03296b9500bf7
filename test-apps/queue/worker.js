// A worker process (berth.json processes): "consumes a queue" by appending <version>:<host>:<event>
// lines to /data/consumed.log every 100 ms; `start` and `stop` (SIGTERM) frame its run. It exits
// with code 3 once when /data/exit-once appears (taken by one worker), and at once with WORKER_CRASH.
const fs = require('node:fs');
const os = require('node:os');
if (process.env.WORKER_CRASH) {
  console.error('worker cannot start: WORKER_CRASH is set');
  process.exit(2);
}
const version = fs.readFileSync(`${__dirname}/version.txt`, 'utf8').trim();
const dir = '/data';
const me = `${version}:${os.hostname()}`;
const record = (event) => fs.appendFileSync(`${dir}/consumed.log`, `${me}:${event}\n`);
console.log(`worker ${me} consuming`);
record('start');
let n = 0;
const timer = setInterval(() => {
  try {
    fs.rmSync(`${dir}/exit-once`);
    record('exit');
    console.log(`worker ${me} exits on request`);
    process.exit(3);
  } catch {
    // not asked to exit
  }
  record(`job${++n}`);
}, 100);
process.on('SIGTERM', () => {
  clearInterval(timer);
  record('stop');
  process.exit(0);
});
