// `npm run docs:tables`: writes docs/errors.md and docs/settings.md from the error catalog and the
// settings schemas (scripts/docs-tables/render.ts). packages/shared/test/unit/docs-tables.test.ts fails
// when a committed file differs from what this would write. Plain JavaScript run through tsx: the
// TypeScript it imports is type-checked and linted through that test, which imports it too.
import { writeFileSync } from 'node:fs';
import { docsTables } from './docs-tables/render.ts';

for (const [file, text] of Object.entries(docsTables())) {
  writeFileSync(new URL(`../${file}`, import.meta.url), text);
  console.log(`wrote ${file}`);
}
