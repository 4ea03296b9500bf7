import { readdirSync } from 'node:fs';
import os from 'node:os';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deploymentQueueName } from '@berth/shared/jobs';
import { queuePrefix } from '@berth/shared/redis-keys';
import { createRedis } from '@berth/shared/redis';
import { zipEntries, zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';

// The real worker on real Docker, Postgres and Redis: every way a deployment can fail.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false, env: { HEALTHCHECK_TIMEOUT_MS: '2500', WORKER_CONCURRENCY: '3' } });
});
afterAll(async () => {
  await stack?.close();
});

const server = (body: string) => `require('node:http').createServer((q, s) => s.end('ok')).listen(${body});`;

async function failWith(source: Parameters<typeof createDeployment>[1], code: string) {
  const created = await createDeployment(stack, source);
  const final = await settled(stack, created.id);
  expect(final).toMatchObject({ status: 'failed', errorCode: code });
  expect(final.errorMessage).toEqual(expect.any(String));
  const lines = await logLines(stack, created.id);
  // The reason is readable in the logs too, as the last system line.
  expect(lines.at(-1)).toMatchObject({ stream: 'system', line: expect.stringContaining(code) });
  // Nothing half-done: no container, no image, no temp dir.
  expect((await instanceContainers(stack.instance)).filter((c) => c.Labels['dev.berth.deployment'] === created.id)).toEqual([]);
  expect((await instanceImages(stack.instance)).filter((t) => t.includes(created.id))).toEqual([]);
  expect(readdirSync(os.tmpdir()).filter((d) => d === `berth-${stack.instance}-${created.id}`)).toEqual([]);
  return { final, lines: lines.map((l) => l.line) };
}

describe('deployments that fail end failed, with an errorCode and a readable log', () => {
  it('an empty zip', async () => {
    await failWith({ archive: await zipEntries([]) }, 'EMPTY_ARCHIVE');
  });

  it('a zip without a Dockerfile', async () => {
    const { final } = await failWith({ archive: await zipEntries([{ name: 'index.js', content: '1' }]) }, 'MISSING_DOCKERFILE');
    expect(final.errorMessage).toContain('Dockerfile');
    // BullMQ shows it as a failed job (not a completed one), tried once: no retry can add a Dockerfile.
    const queue = new Queue(deploymentQueueName, { connection: createRedis(stack.env.REDIS_URL!), prefix: queuePrefix(stack.instance) });
    try {
      const job = await waitFor('the job to fail', async () => {
        const j = await queue.getJob(final.id);
        return j && (await j.getState()) !== 'active' ? j : undefined;
      }, 10_000);
      expect(await job.getState()).toBe('failed');
      expect(job.attemptsMade).toBe(1);
      expect(job.failedReason).toBe(`MISSING_DOCKERFILE: ${final.errorMessage}`);
    } finally {
      await queue.close();
    }
  });

  it('a rootDir that is not in the source', async () => {
    await failWith({ archive: await zipTestApp('hello'), fields: { rootDir: 'nope' } }, 'INVALID_ROOT_DIR');
  });

  it('a zip that tries to write outside its directory (zip-slip)', async () => {
    const archive = await zipEntries([{ name: 'Dockerfile', content: 'FROM berth/node:24' }]);
    // yazl refuses "../" names, so rename the entry in place (same length keeps offsets valid).
    const evil = Buffer.from(archive.toString('latin1').replaceAll('Dockerfile', '../../evil'), 'latin1');
    await failWith({ archive: evil }, 'UNSAFE_ARCHIVE');
  });

  it('a Dockerfile whose build fails, with the failing step in the logs', async () => {
    const { final, lines } = await failWith(
      {
        archive: await zipEntries([
          { name: 'Dockerfile', content: `FROM berth/node:24\nRUN echo "about to fail ${Math.random()}" && exit 3\n` },
        ]),
      },
      'BUILD_FAILED',
    );
    expect(final.errorMessage).toMatch(/returned a non-zero code: 3/);
    expect(lines.some((l) => l.startsWith('about to fail'))).toBe(true);
  });

  it('a Dockerfile whose base image does not exist locally (no registry)', async () => {
    await failWith({ archive: await zipEntries([{ name: 'Dockerfile', content: 'FROM berth-no-such-image:1\n' }]) }, 'BUILD_FAILED');
  });

  it('an app that exits at once, with its output in the logs', async () => {
    const { lines } = await failWith(
      { archive: await zipTestApp('hello', { 'server.js': `console.error('config missing: DATABASE_URL'); process.exit(1);` }) },
      'APP_EXITED',
    );
    expect(lines).toContain('config missing: DATABASE_URL');
  });

  it('an app that never listens, with its last output in the logs', async () => {
    const { final, lines } = await failWith(
      {
        archive: await zipTestApp('hello', {
          'server.js': `console.log('warming up forever'); setInterval(() => {}, 1000);`,
        }),
      },
      'HEALTHCHECK_TIMEOUT',
    );
    expect(final.errorMessage).toContain('port 3000');
    expect(lines).toContain('warming up forever');
  });

  it('an app that listens on another port than the one configured', async () => {
    await failWith(
      { archive: await zipTestApp('hello', { 'server.js': server('4999') }), fields: { port: '3000' } },
      'HEALTHCHECK_TIMEOUT',
    );
  });

  it('a git URL that cannot be cloned', async () => {
    const { final } = await failWith({ gitUrl: 'git://127.0.0.1:1/nothing-here.git' }, 'GIT_CLONE_FAILED');
    expect(final.errorMessage).toContain('git clone failed');
  });
});
