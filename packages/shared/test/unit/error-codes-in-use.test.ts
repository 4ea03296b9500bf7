import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { errorCatalog } from '../../src/errors.ts';

// `new BerthError(code)` only compiles with a catalog code; an answer body or a status row written by
// hand (`{ error: { code: 'X' } }`, `errorCode: 'X'`) is not checked by the compiler: this scan is.
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function sources(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) return ['node_modules', 'dist', 'generated'].includes(entry.name) ? [] : sources(rel);
    return /\.(ts|tsx)$/.test(entry.name) ? [rel] : [];
  });
}

it('every error code a program writes by hand is in the catalog', () => {
  const dirs = ['apps', 'packages'].flatMap((top) => readdirSync(path.join(root, top)).map((name) => `${top}/${name}/src`));
  const used = new Map<string, string>();
  for (const file of dirs.flatMap((dir) => sources(dir))) {
    const text = readFileSync(path.join(root, file), 'utf8');
    for (const m of text.matchAll(/\b(?:code|errorCode): '([A-Z][A-Z0-9_]*)'/g)) used.set(m[1]!, file);
  }
  expect(used.size).toBeGreaterThan(3);
  for (const [code, file] of used) expect(Object.hasOwn(errorCatalog, code), `${code} (${file}) is not in packages/shared/src/errors.ts`).toBe(true);
});
