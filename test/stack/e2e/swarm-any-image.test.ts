import { chmodSync, copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { containerName } from '@berth/shared/docker-names';
import { zipEntries } from '@berth/testing/archives';
import { callApi, createDeployment, logLines, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker } from '@berth/testing/stack';
import { startSwarmStack, type SwarmStack } from './swarm-pipeline-setup.ts';

// Swarm mode for any image that serves HTTP on its port, with nothing of Berth's inside it: a
// busybox httpd image (a shell, no node) and one FROM scratch holding only a static binary (no
// shell, exec form). Both go live through Caddy, scale to 3 and roll back; a replica made to stop
// answering (its container paused) is replaced by the worker's liveness watch; one that exits at
// once fails as APP_EXITED. Nothing is pulled: the static busybox comes from Debian's
// busybox-static (scripts/lib/services.sh installs it), put into a local image the apps' Dockerfiles copy from.
let swarm: SwarmStack;
let toolbox: string;
let toolboxDir: string;

/** A local image FROM scratch holding only /busybox (executable: archives uploaded to Berth keep no file modes). */
async function buildToolbox(tag: string): Promise<void> {
  toolboxDir = mkdtempSync(path.join(os.tmpdir(), 'berth-toolbox-'));
  copyFileSync('/bin/busybox', path.join(toolboxDir, 'busybox'));
  chmodSync(path.join(toolboxDir, 'busybox'), 0o755);
  writeFileSync(path.join(toolboxDir, 'Dockerfile'), 'FROM scratch\nCOPY busybox /busybox\n');
  const stream = await docker.buildImage({ context: toolboxDir, src: ['Dockerfile', 'busybox'] }, { t: tag, rm: true });
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, out: { error?: string }[]) => {
      const failed = err ?? out.find((e) => e.error);
      if (failed) reject(new Error(String((failed as { error?: string }).error ?? failed)));
      else resolve();
    }),
  );
}

/** busybox httpd behind a shell: `sh -c` expands the $PORT Berth gives it. */
const shellImage = (page: string) =>
  zipEntries([
    {
      name: 'Dockerfile',
      content: `FROM scratch\nCOPY --from=${toolbox} /busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\nCOPY www /www\nCMD httpd -f -p $PORT -h /www\n`,
    },
    { name: 'www/index.html', content: page },
  ]);
/** Only the static binary, started in exec form (no shell to expand $PORT: the project's port, 3000 by default, is written out). */
const scratchImage = (page: string, cmd = '"/busybox", "httpd", "-f", "-p", "3000", "-h", "/www"') =>
  zipEntries([
    { name: 'Dockerfile', content: `FROM scratch\nCOPY --from=${toolbox} /busybox /busybox\nCOPY www /www\nCMD [${cmd}]\n` },
    { name: 'www/index.html', content: page },
  ]);

interface Task {
  ID: string;
  Status?: { State?: string; ContainerStatus?: { ContainerID?: string } };
}
const runningTasks = async (id: string) =>
  ((await docker.listTasks({ filters: { service: [containerName(swarm.stack.instance, id)], 'desired-state': ['running'] } })) as Task[]).filter(
    (t) => t.Status?.State === 'running',
  );
const get = (host: string) => request(`${swarm.stack.caddyUrl}/`, { host: `${host}.localhost` });
const lines = async (id: string) => (await logLines(swarm.stack, id)).map((l) => l.line);

async function deployLive(archive: Buffer, project: string, fields: Record<string, string> = {}): Promise<string> {
  const d = await createDeployment(swarm.stack, { archive, fields: { name: project, ...fields } });
  const done = await settled(swarm.stack, d.id, 120_000);
  expect(done.status, JSON.stringify((await lines(d.id)).slice(-15))).toBe('running');
  return d.id;
}

/** Until `host` answers `page` through Caddy. */
const serves = (host: string, page: string) =>
  waitFor(`${host} serving ${page}`, async () => (await get(host)).body === page || undefined, 60_000, 100);

beforeAll(async () => {
  swarm = await startSwarmStack({
    router: true,
    env: {
      SWARM_MAX_REPLICAS: '5',
      // The liveness watch each second; a request to a replica that hangs fails after 3 s and takes it out of rotation.
      REPLICA_PROBE_INTERVAL_MS: '1000',
      APP_RESPONSE_HEADER_TIMEOUT_MS: '3000',
    },
  });
  toolbox = `berth-toolbox-${swarm.stack.instance}:1`;
  await buildToolbox(toolbox);
}, 120_000);

afterAll(async () => {
  await swarm?.close();
  if (toolbox) await docker.getImage(toolbox).remove({ force: true }).catch(() => {});
  if (toolboxDir) rmSync(toolboxDir, { recursive: true, force: true });
}, 120_000);

/**
 * v1 then v2 of `project` go live through Caddy; v2 scales to 3 (every request answered); one of its
 * replicas stops answering (paused: it accepts connections and says nothing) and is replaced; a rollback serves v1 again.
 */
async function wholeLife(project: string, image: (page: string) => Promise<Buffer>, fields: Record<string, string>): Promise<void> {
  await deployLive(await image(`${project} one`), project, fields);
  await serves(project, `${project} one`);
  const v2 = await deployLive(await image(`${project} two`), project, fields);
  await serves(project, `${project} two`);

  expect((await callApi(swarm.stack, 'PATCH', `/api/deployments/${v2}`, { replicas: 3 })).status).toBe(200);
  await waitFor('three running tasks', async () => (await runningTasks(v2)).length === 3 || undefined, 90_000, 200);
  await waitFor('every request answered', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => get(project)));
    return answers.every((a) => a.status === 200 && a.body === `${project} two`) || undefined;
  }, 30_000, 200);

  const [victim] = await runningTasks(v2);
  await docker.getContainer(victim!.Status!.ContainerStatus!.ContainerID!).pause();
  await waitFor('the silent replica replaced', async () => {
    const tasks = await runningTasks(v2);
    return (tasks.length === 3 && !tasks.some((t) => t.ID === victim!.ID)) || undefined;
  }, 90_000, 250);
  const said = `replica ${victim!.ID.slice(0, 12)} did not answer / 3 times in a row`;
  await waitFor('the log saying so', async () => (await lines(v2)).some((l) => l.startsWith(said)) || undefined, 10_000, 100);
  expect((await callApi(swarm.stack, 'GET', `/api/deployments/${v2}`)).body).toMatchObject({ status: 'running', replicas: 3 });
  await waitFor('every request answered again', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => get(project)));
    return answers.every((a) => a.status === 200) || undefined;
  }, 30_000, 200);

  const back = await callApi(swarm.stack, 'POST', `/api/projects/${project}/rollback`, {});
  expect([200, 202]).toContain(back.status);
  await serves(project, `${project} one`);
}

describe('swarm mode: images with no node (and no shell) inside', () => {
  it('a busybox httpd image listening on $PORT (8080 here) goes live through Caddy, scales to 3, has a silent replica replaced, rolls back', async () => {
    await wholeLife('bbox', shellImage, { port: '8080' });
  }, 420_000);

  it('an image FROM scratch holding only a static binary, exec form, does the same', async () => {
    await wholeLife('scratch', scratchImage, {});
  }, 420_000);

  it('one that exits at once (no shell, no node) fails as APP_EXITED with its output, as any app does', async () => {
    const d = await createDeployment(swarm.stack, {
      archive: await scratchImage('never', '"/busybox", "sh", "-c", "echo no config here; exit 3"'),
      fields: { name: 'scratch-exit' },
    });
    const done = await settled(swarm.stack, d.id, 120_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'APP_EXITED' });
    expect(await lines(d.id)).toContain('no config here');
    expect(await swarm.services()).not.toContain(containerName(swarm.stack.instance, d.id));
  }, 180_000);
});
