import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  // 15 s: cold1 (2026-12-07) saw a fully loaded machine spend over 6 s before the RUN step printed its first line.
  stack = await startStack({ router: false, env: { BUILD_TIMEOUT_MS: '15000' } });
});
afterAll(async () => {
  await stack?.close();
});

it('a build that runs past BUILD_TIMEOUT_MS is stopped and fails with BUILD_FAILED, leaving nothing behind', async () => {
  // The step sleeps far past the deadline, and the deadline leaves a cold, busy machine time to reach it.
  const dockerfile = 'FROM berth/node:24\nCOPY . /app/\nRUN echo "slow build starting" && sleep 60 && echo "slow build done"\n';
  const d = await createDeployment(stack, {
    archive: await zipTestApp('slow', { Dockerfile: dockerfile, 'nonce.txt': String(Math.random()) }),
  });
  const final = await settled(stack, d.id, 45_000);
  expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
  expect(final.errorMessage).toContain('did not finish within 15000 ms');
  const lines = (await logLines(stack, d.id)).map((l) => l.line);
  expect(lines).toContain('slow build starting');
  expect(lines).not.toContain('slow build done');
  expect((await instanceContainers(stack.instance)).length).toBe(0);
  expect((await instanceImages(stack.instance)).filter((t) => t.includes(d.id))).toEqual([]);
});
