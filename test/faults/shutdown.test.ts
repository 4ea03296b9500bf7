import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { killStartedPrograms, startProgram } from '@berth/testing/processes';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0 });
});
afterAll(async () => {
  killStartedPrograms(); // a program a failed test left running
  await stack?.close();
});

// A program's start on a machine a cold suite loads fully (builds, Docker) took over 20 s (cold27).
const readyMs = 60_000;
const slowApp = () => zipTestApp('slow', { 'nonce.txt': String(Math.random()) });
const building = (id: string) =>
  waitFor('build under way', async () => (await logLines(stack, id)).some((l) => l.line === 'slow build starting'), 30_000);

describe('graceful shutdown (SIGTERM)', () => {
  it('a worker finishes the deployment it is running within the grace period, then exits 0', async () => {
    const worker = startProgram('worker', { ...stack.env, SHUTDOWN_GRACE_MS: '30000' });
    await waitFor('worker ready', () => worker.output().includes('worker ready'), readyMs);
    const d = await createDeployment(stack, { archive: await slowApp() });
    await building(d.id);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect((await stack.db.store.get(d.id))!.status).toBe('running');
  }, 120_000);

  it('a worker whose grace period runs out hands the job back; another worker finishes it', async () => {
    const worker = startProgram('worker', { ...stack.env, SHUTDOWN_GRACE_MS: '500' });
    await waitFor('worker ready', () => worker.output().includes('worker ready'), readyMs);
    const d = await createDeployment(stack, { archive: await slowApp() });
    await building(d.id);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    // It aborted the build (not waiting for its 4 s sleep) and left the deployment in flight.
    const lines = (await logLines(stack, d.id)).map((l) => l.line);
    expect(lines, worker.output().slice(-4000)).toContain('this worker is shutting down; handing the deployment to another worker');
    expect(lines).not.toContain('slow build done');
    expect((await stack.db.store.get(d.id))!.status).toBe('building');
    await stack.addWorker();
    expect((await settled(stack, d.id, 60_000)).status).toBe('running');
  }, 150_000);

  // Docker mode: Caddy looks app hosts up in router-sync's resolver, which goes with it; on the way
  // out it writes the apps into Caddy's config instead (one load), so they stay reachable meanwhile.
  it('router-sync exits 0, handing its routes over to Caddy\'s config (docker mode) and nothing else', async () => {
    // One router-sync per Caddy, as in production: the stack's own would load its config over this one's on its next resync.
    await stack.router!.stop();
    const router = startProgram('router-sync', {
      ...stack.env,
      CADDY_ADMIN_URL: stack.caddy!.adminUrl,
      CADDY_HTTP_LISTEN: `127.0.0.1:${stack.caddy!.httpPort}`,
      API_UPSTREAM: new URL(stack.apiUrl).host,
    });
    await waitFor('router-sync ready', () => router.output().includes('router-sync ready'), readyMs);
    const before = await (await fetch(`${stack.caddy!.adminUrl}/config/`)).text();
    router.child.kill('SIGTERM');
    expect(await router.exited).toBe(0);
    const after = await (await fetch(`${stack.caddy!.adminUrl}/config/`)).text();
    expect(before).toContain('.up.berth.'); // looked up while it ran
    expect(after).not.toContain('.up.berth.'); // written in after it left (the host map; this stack routes no app now)
    expect(after).toContain('no deployment answers at this address');
    expect(router.output()).toContain('routes handed over to caddy config');
    expect(router.output().split('caddy config loaded').length).toBe(2); // its start's one load, no other
  }, 120_000);
});
