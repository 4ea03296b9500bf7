// A stand-in for a bundler (no registry here): writes dist/ with a content-hashed script.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const app = readFileSync('app.js', 'utf8');
const name = `app-${createHash('sha256').update(app).digest('hex').slice(0, 10)}.js`;
mkdirSync('dist/assets', { recursive: true });
writeFileSync(`dist/assets/${name}`, app);
writeFileSync('dist/index.html', `<!doctype html><html><body><div id="root">spa shell</div><script src="/assets/${name}"></script></body></html>\n`);
console.log(`built dist/assets/${name}`);
