// The build step: src/ → dist/, with a devDependency that the running app does not need.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const { banner } = createRequire(import.meta.url)('banner');
mkdirSync('dist', { recursive: true });
writeFileSync('dist/server.js', banner('node-built') + readFileSync('src/server.js', 'utf8'));
console.log('build step: wrote dist/server.js');
