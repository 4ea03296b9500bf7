import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { docker, startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false });
});
afterAll(async () => {
  await stack?.close();
});

const exists = (id: string) =>
  docker
    .getImage(id)
    .inspect()
    .then(() => true)
    .catch(() => false);

it('a failed build leaves none of its layers behind (they hold the source), and never touches the base image', async () => {
  const nonce = randomBytes(6).toString('hex');
  const archive = await zipEntries([
    {
      name: 'Dockerfile',
      content: [
        'FROM berth/node:24',
        'COPY secret.txt /app/secret.txt',
        `RUN echo ${nonce} && head -c 300000 /dev/urandom > /blob`,
        'RUN exit 3',
      ].join('\n'),
    },
    { name: 'secret.txt', content: `tenant source ${nonce}` },
  ]);
  // A project of its own: its builds' cache is scoped to the project (a LABEL step after FROM), and another
  // file's build of a project with the same name could otherwise share that first layer and keep it alive.
  const d = await createDeployment(stack, { archive, fields: { name: `leftovers-${nonce}` } });
  const final = await settled(stack, d.id);
  expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });

  // The builder prints each finished step's image as ` ---> <id>`; the first is the base image.
  const ids = (await logLines(stack, d.id)).flatMap((l) => /^ ---> ([0-9a-f]{12})$/.exec(l.line)?.[1] ?? []);
  const base = (await docker.getImage('berth/node:24').inspect()).Id.slice('sha256:'.length, 'sha256:'.length + 12);
  expect(ids[0]).toBe(base);
  const made = ids.slice(1);
  expect(made.length).toBeGreaterThanOrEqual(2); // the COPY and the first RUN
  // Removed after BUILD_LEFTOVER_GRACE_MS (3 s in the test stacks), not at once: a concurrent build may be using one.
  for (const id of made) {
    await waitFor(`layer ${id} to be removed`, async () => !(await exists(id)), 20_000, 200);
  }
  expect(await exists('berth/node:24')).toBe(true);
});
