import { describe, expect, it } from 'vitest';
import { touchesWatchPaths, watchPathProblem } from '../../src/watch-paths.ts';

describe('watch paths', () => {
  it('matches folders, files and globs relative to the repository root', () => {
    const cases: [string[], string[], boolean][] = [
      [['apps/web'], ['apps/web/src/index.ts'], true],
      [['apps/web/'], ['apps/web/package.json'], true],
      [['apps/web'], ['apps/webshop/x.ts'], false],
      [['apps/web'], ['apps/api/x.ts', 'README.md'], false],
      [['apps/*/package.json'], ['apps/api/package.json'], true],
      [['apps/*/package.json'], ['apps/api/src/package.json'], false],
      [['**/*.go'], ['main.go'], true],
      [['**/*.go'], ['cmd/server/main.go'], true],
      [['packages/**'], ['packages/shared/src/a.ts'], true],
      [['Dockerfile', 'src/?.ts'], ['src/a.ts'], true],
      [['src/?.ts'], ['src/ab.ts'], false],
      [['a.b'], ['axb'], false],
    ];
    for (const [globs, files, expected] of cases) expect(touchesWatchPaths(globs, files), `${globs} ${files}`).toBe(expected);
  });

  it('refuses what is no relative glob', () => {
    for (const bad of ['', '/abs', '../up', 'a/./b', '!neg', 'a\\b', '{a,b}', '[ab]', 'x'.repeat(201), 'tab\there']) expect(watchPathProblem(bad), bad).toBeTruthy();
    for (const good of ['apps/web', 'apps/*/src/**', '**/*.go', 'Dockerfile']) expect(watchPathProblem(good)).toBeUndefined();
  });
});
