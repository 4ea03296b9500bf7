import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { docker, startStack, type Stack } from '@berth/testing/stack';
import { repoRoot } from '@berth/testing/paths';

const root = repoRoot;
const runtimes = JSON.parse(readFileSync(path.join(root, 'packages/shared/node-runtimes.json'), 'utf8')) as {
  pinned: string;
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
    const pinned = major === runtimes.pinned;
    it(`builds and runs an app FROM berth/node:${major} (Node ${version})${pinned ? '' : ', making the image on first use'}`, async () => {
      // The pinned major's image is what every other test builds on: leave it. The others
      // are removed, so the worker has to make them for this build.
      if (!pinned) await docker.getImage(`berth/node:${major}`).remove({ force: true }).catch(() => {});
      const archive = await zipTestApp('hello', {
        // Unique content: a cached RUN step (layers another run left) would print nothing.
        'nonce.txt': `${process.pid}-${Date.now()}-${Math.random()}`,
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
      const lines = (await logLines(stack, d.id)).map((l) => l.line);
      expect(lines).toContain(`built on v${version}`);
      if (!pinned) expect(lines).toContain(`making base image berth/node:${major} from Node ${version} (first build that needs it on this machine)`);
      expect((await stack.inject({ method: 'DELETE', url: `/api/deployments/${d.id}` })).statusCode).toBe(200);
    });
  }

  it('fails a build FROM a Node major Berth does not offer, naming the offered ones', async () => {
    const archive = await zipTestApp('hello', { Dockerfile: 'FROM berth/node:18\nCMD ["node", "/app/server.js"]\n' });
    const final = await settled(stack, (await createDeployment(stack, { archive })).id);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
    expect(final.errorMessage).toMatch(/berth\/node:18 is not available: Berth offers berth\/node:20, :22, :24, :26/);
  });
});
