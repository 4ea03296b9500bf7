import { existsSync, mkdirSync, readdirSync, rmdirSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadWorkerConfig } from '@berth/worker/config';
import { startWorker } from '@berth/worker/worker';
import { createLogger } from '@berth/shared/logger';
import type { ContainerRuntime } from '../../../apps/worker/src/docker/container-runtime.ts';
import { zipEntries } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { docker, instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';

// Hostile builds: a RUN step that eats memory or forks without bound must fail
// with a reason, while the host keeps answering, and leave nothing behind.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    router: false,
    env: {
      BUILD_MEMORY_MB: '128',
      BUILD_CPUS: '1',
      BUILD_PIDS_MAX: '64',
      BUILD_TIMEOUT_MS: '15000',
      REAPER_INTERVAL_MS: '300',
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

const dockerfile = (run: string) => `FROM berth/node:24\nCOPY nonce.txt /nonce.txt\nRUN ${run}\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n`;

/** Builds it and, while the build runs, checks that the API and the Docker daemon still answer. */
async function hostileBuild(run: string) {
  const d = await createDeployment(stack, {
    archive: await zipEntries([
      { name: 'Dockerfile', content: dockerfile(run) },
      { name: 'nonce.txt', content: String(Math.random()) }, // copied first: no cached layer, the step really runs
    ]),
  });
  let answered = 0;
  let building = false;
  const watching = (async () => {
    for (;;) {
      const { status } = (await stack.inject({ method: 'GET', url: `/api/deployments/${d.id}` })).json();
      if (status !== 'queued' && status !== 'fetching' && status !== 'building') return;
      if (status !== 'building') {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      building = true;
      // Generous bounds: this proves "responsive", not "fast".
      const started = Date.now();
      const health = await stack.api.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(200);
      expect((await docker.info()).ID).toEqual(expect.any(String));
      expect(Date.now() - started).toBeLessThan(10_000);
      answered++;
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  const final = await settled(stack, d.id, 60_000);
  await watching;
  return { d, final, answered, building };
}

async function expectNothingLeft(id: string) {
  expect((await instanceContainers(stack.instance)).filter((c) => c.Labels['dev.berth.deployment'] === id)).toEqual([]);
  expect((await instanceImages(stack.instance)).filter((t) => t.includes(id))).toEqual([]);
  // Build containers carry no labels; they are found by the cgroup the worker gave this build.
  const strays = [];
  for (const c of await docker.listContainers({ all: true })) {
    const info = await docker.getContainer(c.Id).inspect().catch(() => undefined);
    if (info?.HostConfig.CgroupParent?.includes(id)) strays.push(c.Id);
  }
  expect(strays).toEqual([]);
  // And the build's own cgroup is gone, in every hierarchy.
  for (const hierarchy of readdirSync('/sys/fs/cgroup')) {
    const parent = `/sys/fs/cgroup/${hierarchy}/berth-builds`;
    if (!existsSync(parent)) continue;
    expect(readdirSync(parent).filter((d) => d.startsWith(`${stack.instance}-${id}`)), parent).toEqual([]);
  }
}

it('a build that allocates past BUILD_MEMORY_MB fails with BUILD_FAILED saying it ran out of memory', async () => {
  // Bounded at 1 GiB so that, without a limit, the build simply succeeds instead of eating the host.
  const { d, final, answered, building } = await hostileBuild(
    `node -e "const a = []; for (let i = 0; i < 64; i++) a.push(Buffer.alloc(16 * 1024 * 1024, 1)); console.log('allocated 1 GiB')"`,
  );
  expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
  expect(final.errorMessage).toContain('the build ran out of memory (BUILD_MEMORY_MB=128)');
  const lines = (await logLines(stack, d.id)).map((l) => l.line);
  expect(lines).not.toContain('allocated 1 GiB');
  if (building) expect(answered).toBeGreaterThan(0);
  await expectNothingLeft(d.id);
});

it('a build that forks without bound hits its process limit and fails with BUILD_FAILED saying so', async () => {
  // 2,000 sleeping processes (bounded, for the same reason), each holding on for a while.
  const { d, final, answered, building } = await hostileBuild(
    `i=0; while [ $i -lt 2000 ]; do sleep 5 & i=$((i+1)); done; echo "spawned $i"; wait`,
  );
  expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
  expect(final.errorMessage).toContain('the build hit its process limit (BUILD_PIDS_MAX=64)');
  const lines = (await logLines(stack, d.id)).map((l) => l.line);
  expect(lines).not.toContain('spawned 2000');
  if (building) expect(answered).toBeGreaterThan(0);
  await expectNothingLeft(d.id);
});

it('a build that keeps forking until the deadline is stopped, and the reason names the process limit', async () => {
  // Never exits by itself: it keeps trying (3,000 times at most, so that without a limit it
  // cannot flood the host either) and then idles; only BUILD_TIMEOUT_MS ends it.
  const { d, final, answered } = await hostileBuild(
    `node -e "const { spawn } = require('node:child_process'); let n = 0; setInterval(() => { for (let i = 0; i < 20 && n < 3000; i++) { const c = spawn('sleep', ['600']); c.on('error', () => {}); n++; } }, 20); setInterval(() => console.log('tried', n), 1000)"`,
  );
  expect(final).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED' });
  expect(final.errorMessage).toContain('did not finish within 15000 ms');
  expect(final.errorMessage).toContain('the build hit its process limit (BUILD_PIDS_MAX=64)');
  expect(answered).toBeGreaterThan(0);
  await expectNothingLeft(d.id);
}, 90_000);

it('a worker whose Docker cannot take a build cgroup refuses to start instead of building without a process limit', async () => {
  // Only the engine's answer is faked (a systemd-driver daemon); nothing else is reached.
  const runtime = {
    ensureNetwork: async () => ({ isolated: true, attached: 0 }),
    engineInfo: async () => ({ cgroupDriver: 'systemd' }),
  } as unknown as ContainerRuntime;
  const config = loadWorkerConfig({ ...stack.env, BUILD_PIDS_MAX: '64' });
  await expect(startWorker({ config, db: stack.db.db, logger: createLogger('test', 'silent'), runtime })).rejects.toThrow(
    /BUILD_PIDS_MAX needs Docker's cgroupfs cgroup driver \(this daemon uses systemd\); set BUILD_PIDS_MAX=0/,
  );
  // And with the limit explicitly off, it does not ask.
  expect(loadWorkerConfig({ ...stack.env, BUILD_PIDS_MAX: '0' }).BUILD_PIDS_MAX).toBe(0);
});

it('the reaper removes the build cgroups a killed worker left, once their deployment is final', async () => {
  const d = await createDeployment(stack, {
    archive: await zipEntries([{ name: 'Dockerfile', content: 'FROM berth/node:24\nRUN exit 3\n' }]),
  });
  expect(await settled(stack, d.id)).toMatchObject({ status: 'failed' });
  // What a worker killed mid-build leaves: its cgroup in the pids and memory hierarchies.
  const leftover = `${stack.instance}-${d.id}-deadbeef`;
  const notOurs = `${stack.instance}-x-${d.id}-deadbeef`; // another instance's shape: never touched
  const dirs = [leftover, notOurs].flatMap((k) => ['pids', 'memory'].map((h) => `/sys/fs/cgroup/${h}/berth-builds/${k}`));
  for (const dir of dirs) mkdirSync(dir, { recursive: true });
  try {
    await waitFor('the leftover build cgroup to be removed', () => dirs.slice(0, 2).every((dir) => !existsSync(dir)), 10_000);
    expect(dirs.slice(2).every((dir) => existsSync(dir))).toBe(true);
  } finally {
    for (const dir of dirs) if (existsSync(dir)) rmdirSync(dir);
  }
});

it("refuses an image carrying the labels Berth knows its containers by (a run of it would pass for another deployment's app), and leaves nothing", async () => {
  const d = await createDeployment(stack, {
    archive: await zipEntries([
      // Containers inherit their image's labels: a run or release-command container of this image would carry
      // dev.berth.deployment of someone else's app, and be routed its traffic.
      { name: 'Dockerfile', content: 'FROM berth/node:24\nLABEL dev.berth.deployment=victimdeploy1 dev.berth.port=8080 dev.berth.node-sha=ours-too\nCMD ["node", "-e", "setInterval(() => {}, 1000)"]\n' },
    ]),
  });
  const final = await settled(stack, d.id, 60_000);
  expect(final).toMatchObject({ status: 'failed', errorCode: 'IMAGE_REFUSED' });
  expect(final.errorMessage).toContain('dev.berth.deployment, dev.berth.port'); // the base images' own keys are not refused
  expect(final.errorMessage).not.toContain('node-sha');
  await expectNothingLeft(d.id);
});
