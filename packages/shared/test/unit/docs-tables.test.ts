import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { docsTables } from '../../../../scripts/docs-tables/render.ts';

describe('the generated docs tables', () => {
  for (const [file, expected] of Object.entries(docsTables())) {
    it(`${file} is what the catalogs say`, () => {
      const committed = readFileSync(new URL(`../../../../${file}`, import.meta.url), 'utf8');
      expect(committed === expected, `${file} differs from the catalogs: run npm run docs:tables and commit the result`).toBe(true);
    });
  }
});
