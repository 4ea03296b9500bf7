import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scopedBuildContext } from '../../src/docker/scoped-build-context.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A source folder with these files (`name` → text). */
function source(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-dockerignore-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

/** The names the daemon would get in the build context. */
async function contextNames(dir: string): Promise<string[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of (await scopedBuildContext(dir, 'Dockerfile', 'p')) as AsyncIterable<Buffer>) chunks.push(chunk);
  const listing = execFileSync('tar', ['-t'], { input: Buffer.concat(chunks) }).toString();
  return listing
    .split('\n')
    .filter((n) => n && !statSync(path.join(dir, n)).isDirectory())
    .sort();
}

describe("a Dockerfile build's context honours the source's .dockerignore (issue 27)", () => {
  it('leaves out what it names (a secret .env, a folder), keeps ! exceptions, the Dockerfile and .dockerignore itself', async () => {
    const dir = source({
      Dockerfile: 'FROM scratch\nCOPY . /\n',
      '.dockerignore': '# secrets stay home\n.env\nnode_modules\nlogs/*.log\n!logs/keep.log\n**/*.pem\nDockerfile\n',
      '.env': 'SECRET=1',
      'app.js': 'ok',
      'node_modules/x/index.js': 'x',
      'logs/a.log': 'a',
      'logs/keep.log': 'k',
      'deep/er/key.pem': 'k',
      'deep/er/readme.md': 'r',
    });
    expect(await contextNames(dir)).toEqual(['.dockerignore', 'Dockerfile', 'app.js', 'deep/er/readme.md', 'logs/keep.log']);
  });

  it('without a .dockerignore, everything goes', async () => {
    const dir = source({ Dockerfile: 'FROM scratch\n', '.env': 'x', 'a/b.txt': 'b' });
    expect(await contextNames(dir)).toEqual(['.env', 'Dockerfile', 'a/b.txt']);
  });
});
