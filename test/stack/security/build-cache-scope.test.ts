import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { docker, startStack, type Stack } from '@berth/testing/stack';

// Door 5 of issue 24: the layer cache was shared between projects, so "Using cache" on a
// step told one tenant that another had built the same step.

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false });
});
afterAll(async () => {
  await stack?.close();
});

/** An app that answers on port 3000 (the deployment must start to settle as running). */
const serve = `CMD ["node", "-e", "require('node:http').createServer((q, s) => s.end('ok')).listen(3000)"]`;

/** A Dockerfile no other test builds: its RUN step is cached only if a build in this file made it. */
function dockerfile(nonce: string): string {
  return ['FROM berth/node:24', 'WORKDIR /app', 'COPY app.txt ./', `RUN echo step-${nonce} > /app/step.txt`, serve].join('\n');
}

/** Builds the Dockerfile as project `name`; the build log's lines from the RUN step on. */
async function buildAs(name: string, nonce: string): Promise<string[]> {
  const archive = await zipEntries([
    { name: 'Dockerfile', content: dockerfile(nonce) },
    { name: 'app.txt', content: `same source ${nonce}` },
  ]);
  const d = await createDeployment(stack, { archive, fields: { name } });
  const final = await settled(stack, d.id);
  expect(final.status, final.errorMessage).toBe('running');
  const lines = (await logLines(stack, d.id)).filter((l) => l.stream === 'build').map((l) => l.line);
  const run = lines.findIndex((l) => l.includes(`RUN echo step-${nonce}`));
  expect(run, lines.join('\n')).toBeGreaterThanOrEqual(0);
  return lines.slice(run + 1, run + 2);
}

it("a second project building the same Dockerfile finds none of the first one's layers; the first one's rebuild finds them all", async () => {
  const nonce = randomBytes(6).toString('hex');
  const first = await buildAs('cache-scope-a', nonce);
  expect(first.join('\n')).not.toContain('Using cache');

  const other = await buildAs('cache-scope-b', nonce);
  expect(other.join('\n')).not.toContain('Using cache');

  const rebuild = await buildAs('cache-scope-a', nonce);
  expect(rebuild.join('\n')).toContain('Using cache');
});

it('the app sees the source as it was sent (no file added), and its image one label more', async () => {
  const nonce = randomBytes(6).toString('hex');
  const archive = await zipEntries([
    { name: 'Dockerfile', content: ['FROM berth/node:24', 'WORKDIR /app', 'COPY . .', serve].join('\n') },
    { name: 'app.txt', content: nonce },
  ]);
  const d = await createDeployment(stack, { archive, fields: { name: 'cache-scope-files' } });
  const final = await settled(stack, d.id);
  expect(final.status, final.errorMessage).toBe('running');
  const tag = `berth-${stack.instance}/${d.id}:latest`;
  const image = await docker.getImage(tag).inspect();
  expect(Object.keys(image.Config.Labels ?? {})).toContain('berth.build-scope');
  const container = await docker.createContainer({ Image: tag, Cmd: ['ls', '-a', '/app'] });
  try {
    await container.start();
    await container.wait();
    const out = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
    expect(out).toContain('app.txt');
    expect(out).toContain('Dockerfile');
    expect(out).not.toMatch(/\.berth|\.dockerignore/);
  } finally {
    await container.remove({ force: true });
  }
});
