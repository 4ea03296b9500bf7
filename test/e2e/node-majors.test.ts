import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '../helpers/archives.ts';
import { createDeployment, logLines, settled } from '../helpers/deployments.ts';
import { startStack, type Stack } from '../helpers/stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runtimes = JSON.parse(readFileSync(path.join(root, 'packages/shared/node-runtimes.json'), 'utf8')) as {
  majors: Record<string, { version: string }>;
};

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false });
});
afterAll(async () => {
  await stack?.close();
});

describe('base images for every offered Node major, made offline', () => {
  for (const [major, { version }] of Object.entries(runtimes.majors)) {
    it(`builds and runs an app FROM berth/node:${major} (Node ${version})`, async () => {
      // The same script `npm test` and `npm run up` use for the pinned major.
      execFileSync('bash', ['scripts/make-node-image.sh', major], { cwd: root, stdio: 'pipe' });
      const archive = await zipTestApp('hello', {
        Dockerfile: [
          `FROM berth/node:${major}`,
          'COPY . /app/',
          'RUN node -e "console.log(\'built on\', process.version)"',
          'CMD ["node", "/app/server.js"]',
        ].join('\n'),
      });
      const d = await createDeployment(stack, { archive });
      const final = await settled(stack, d.id, 60_000);
      expect(final.status, JSON.stringify(final)).toBe('running');
      expect((await logLines(stack, d.id)).map((l) => l.line)).toContain(`built on v${version}`);
      expect((await stack.inject({ method: 'DELETE', url: `/api/deployments/${d.id}` })).statusCode).toBe(200);
    });
  }
});
