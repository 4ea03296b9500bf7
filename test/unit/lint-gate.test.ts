import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The lint gate (`npm run lint`, eslint.config.js) on small files written for it: it must report an
 * unused import, an import cycle and a floating promise, and nothing on a clean file. The files live in a
 * temporary folder with a tsconfig of their own (the repository's programs do not hold them), so the
 * only override of the real config is where the type information comes from.
 */
const repo = resolve(import.meta.dirname, '../..');

const fixtures: Record<string, string> = {
  'unused-import.ts': "import { readFile } from 'node:fs/promises';\n\nexport const answer = 42;\n",
  'cycle-a.ts': "import { b } from './cycle-b.ts';\n\nexport const a = (): string => `a${b()}`;\n",
  'cycle-b.ts': "import { a } from './cycle-a.ts';\n\nexport const b = (): string => (a.length > 0 ? 'b' : '');\n",
  'floating.ts': 'export async function later(): Promise<void> {}\n\nexport function start(): void {\n  later();\n}\n',
  'clean.ts': "import type { Stats } from 'node:fs';\n\nexport const size = (s: Stats): number => s.size;\n",
};

let dir: string;
let problems: Map<string, string[]>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'berth-lint-gate-'));
  const tsconfig = { extends: join(repo, 'tsconfig.base.json'), include: ['*.ts'] };
  await writeFile(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
  for (const [name, text] of Object.entries(fixtures)) await writeFile(join(dir, name), text);
  const eslint = new ESLint({
    cwd: dir,
    overrideConfigFile: join(repo, 'eslint.config.js'),
    overrideConfig: { languageOptions: { parserOptions: { project: null, projectService: true, tsconfigRootDir: dir } } },
  });
  const results = await eslint.lintFiles(Object.keys(fixtures));
  problems = new Map(results.map((r) => [r.filePath.slice(dir.length + 1), r.messages.map((m) => m.ruleId ?? m.message)]));
}, 60_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the lint gate', () => {
  it('reports an unused import', () => {
    expect(problems.get('unused-import.ts')).toEqual(['@typescript-eslint/no-unused-vars']);
  });

  it('reports an import cycle, in both files of it', () => {
    expect(problems.get('cycle-a.ts')).toEqual(['import-x/no-cycle']);
    expect(problems.get('cycle-b.ts')).toEqual(['import-x/no-cycle']);
  });

  it('reports a floating promise', () => {
    expect(problems.get('floating.ts')).toEqual(['@typescript-eslint/no-floating-promises']);
  });

  it('finds nothing in a clean file', () => {
    expect(problems.get('clean.ts')).toEqual([]);
  });
});
