import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { logLines, settled } from '@berth/testing/deployments';
import { SteadyLoad, type LoadSample } from '@berth/testing/load';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, instanceImages } from '@berth/testing/stack';
import { api, createProject, deployVersion, serving, stack, useReleaseStack } from './releases-setup.ts';

// The project URL moving between releases on the real stack, under a steady load: switches and rollbacks.
useReleaseStack();

describe('release switching', () => {
  it('switches the project URL release after release with a steady load that never resends seeing no error and no older release after a switch, and another app\'s event stream untouched', async () => {
    await createProject({ name: 'shop', healthPath: '/healthz' });
    await createProject({ name: 'radio', healthPath: '/healthz' });
    const [first, radio] = [await deployVersion('shop', 'v1'), await deployVersion('radio', 'r1')];
    expect((await settled(stack, first.id)).status).toBe('running');
    expect((await settled(stack, radio.id)).status).toBe('running');
    await serving('shop', 'v1');
    await serving('radio', 'r1');
    // Another app's long-lived connection (server-sent events), open across every release of shop.
    const stream = openEventStream(`${stack.caddyUrl}/events`, 'radio.localhost');
    await waitFor('radio events', async () => stream.events > 0, 10_000, 20);

    // A steady load, not a flood: the rest of the suite shares the machine's two cores. It never
    // sends a request again: a kept-alive connection closed under it (a Caddy config load) fails it.
    const load = new SteadyLoad(`${stack.caddyUrl}/`, 'shop.localhost', { concurrency: 4, pauseMs: 5, resend: false });
    const loadsBefore = stack.router!.loads;
    load.start();
    // Each target the project URL is to serve, and when it was asked for (a rollback's target served before too).
    const targets: Target[] = [{ name: 'v1', since: 0 }];
    const timeline: string[] = [];
    const mark = (what: string) => timeline.push(`${Math.round(performance.now())} ${what}`);
    const ids: string[] = [first.id];
    try {
      for (let v = 2; v <= 11; v++) {
        const since = performance.now();
        const d = await deployVersion('shop', `v${v}`);
        mark(`deploy v${v} ${d.id}`);
        const done = await settled(stack, d.id, 90_000);
        mark(`running v${v}`);
        expect(done.status, JSON.stringify(done)).toBe('running');
        targets.push({ name: `v${v}`, since });
        ids.push(d.id);
        await waitFor(`load to see v${v}`, async () => load.latest() === `v${v}`, 30_000, 10);
      }
      // A release that never gets healthy fails; the project keeps serving the last good one.
      const sick = await deployVersion('shop', 'sick', { env: JSON.stringify({ UNHEALTHY: '1' }) });
      mark('sick');
      expect(await settled(stack, sick.id)).toMatchObject({ status: 'failed', errorCode: 'HEALTHCHECK_TIMEOUT' });
      mark('sick failed');
      // Three rollbacks: each goes one release further back.
      for (const back of ['v10', 'v9', 'v8']) {
        const since = performance.now();
        const res = await api('POST', '/api/projects/shop/rollback', {});
        mark(`rollback ${back} ${res.status} ${res.body.id}`);
        if (res.status >= 400) {
          const rows = await stack.db.db.selectFrom('deployments').select(['id', 'status', 'image', 'promote', 'release_of', 'created_at', 'retired_at']).where('project', '=', 'shop').orderBy('created_at').execute();
          const proj = await stack.db.db.selectFrom('projects').selectAll().where('name', '=', 'shop').executeTakeFirst();
          console.log('DIAG', JSON.stringify({ rows, current: proj?.current_deployment_id }, null, 0));
        }
        expect([200, 202], JSON.stringify(res.body)).toContain(res.status);
        targets.push({ name: back, since });
        await waitFor(`load to see ${back}`, async () => load.latest() === back, 30_000, 10);
      }
    } finally {
      await load.stop();
    }
    const samples = load.samples;
    const failures = samples.filter((s) => s.status !== 200);
    expect(failures, JSON.stringify(failures.slice(0, 5)) + timeline.join('\n')).toEqual([]);
    expect(samples.some((s) => s.body === 'sick')).toBe(false);
    // Docker mode looks app hosts up in router-sync: no release, rollback or new app loaded Caddy's config.
    expect(stack.router!.loads).toBe(loadsBefore);
    // The stream stayed open and kept delivering (an event each 200 ms) through all of it.
    expect(stream.ended).toBe(false);
    expect(performance.now() - stream.lastAt).toBeLessThan(2000);
    stream.close();
    console.log(`release load: ${samples.length} requests, none sent again; radio stream: ${stream.events} events`);
    expectNoOlderAfterSwitch(samples, targets);
  }, 300_000);

  it('rolls back to a stopped release from its kept image, without a build, serving within 5 s', async () => {
    await createProject({ name: 'undo', healthPath: '/healthz' });
    const a = await deployVersion('undo', 'a1');
    expect((await settled(stack, a.id)).status).toBe('running');
    const b = await deployVersion('undo', 'b2');
    expect((await settled(stack, b.id)).status).toBe('running');
    await serving('undo', 'b2');
    // a1 drains (DRAIN_MS), then stops; its container goes, its image stays.
    await waitFor('a1 stopped', async () => (await api('GET', `/api/deployments/${a.id}`)).body.status === 'stopped', 10_000);
    await waitFor('a1 container removed', async () => !(await instanceContainers(stack.instance)).some((c) => c.Labels['dev.berth.deployment'] === a.id), 10_000);
    expect((await instanceImages(stack.instance)).some((t) => t.includes(a.id))).toBe(true);

    const started = performance.now();
    const res = await api('POST', '/api/projects/undo/rollback', { deploymentId: a.id });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ releaseOf: a.id, project: 'undo' });
    await serving('undo', 'a1', 15_000);
    // The 5 s target is measured by `npm run bench:release`; here, a guard a loaded machine stays inside.
    const ms = performance.now() - started;
    expect(ms).toBeLessThan(15_000);
    const lines = (await logLines(stack, res.body.id)).map((l) => l.line);
    expect(lines.some((l) => l.includes('no build'))).toBe(true);
    expect(lines.some((l) => l.startsWith('Step '))).toBe(false);

    // The project shows what serves it and what it can go back to.
    const project = (await api('GET', '/api/projects/undo')).body;
    expect(project.currentDeployment).toMatchObject({ id: res.body.id, current: true });
    expect(project.releases.map((r: any) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect(project.disk.imageBytes).toBeGreaterThan(0);
    expect(project.disk.archiveBytes).toBeGreaterThan(0);

    // Refusals: another project's deployment, the current one, one with nothing kept.
    expect((await api('POST', '/api/projects/undo/rollback', { deploymentId: res.body.id })).status).toBe(409);
    expect((await api('POST', '/api/projects/shop/rollback', { deploymentId: a.id })).status).toBe(400);
    expect((await api('POST', '/api/projects/undo/rollback', { deploymentId: 'nosuchdeploy' })).status).toBe(404);
    expect((await api('POST', '/api/projects/nope/rollback', {})).status).toBe(404);
  }, 60_000);
});

/** A server-sent events stream on a connection of its own: how many events came, when the last did, whether it ended. */
function openEventStream(url: string, host: string) {
  const state = { events: 0, lastAt: 0, ended: false, close: () => req.destroy() };
  const req = http.get(url, { headers: { host, accept: 'text/event-stream' }, agent: false }, (res) => {
    res.on('data', (chunk: Buffer) => {
      state.events += chunk.toString().split('\n\n').length - 1;
      state.lastAt = performance.now();
    });
    res.on('close', () => (state.ended = true));
  });
  req.on('error', () => (state.ended = true));
  return state;
}

interface Target {
  name: string;
  /** When it was asked for (performance.now()): a rollback's target answered before then was the old switch's. */
  since: number;
}

/**
 * After the project URL first served target k (the end of the first request
 * started after k was asked for that got it), no request started later gets
 * an earlier target: each request started in phase k answers target k or the
 * next one.
 */
function expectNoOlderAfterSwitch(samples: readonly LoadSample[], targets: readonly Target[]): void {
  const sorted = [...samples].sort((a, b) => a.start - b.start);
  const switchAt: number[] = [];
  let from = 0;
  for (const target of targets) {
    const i = sorted.findIndex((s, idx) => idx >= from && s.start >= target.since && s.body === target.name);
    expect(i, `the load never saw ${target.name}`).toBeGreaterThanOrEqual(0);
    switchAt.push(sorted[i]!.end);
    from = i;
  }
  const wrong: string[] = [];
  for (const s of sorted) {
    let phase = -1;
    for (let k = 0; k < switchAt.length; k++) if (s.start >= switchAt[k]!) phase = k;
    if (phase < 0) continue;
    const allowed = [targets[phase]!.name, targets[phase + 1]?.name];
    if (!allowed.includes(s.body)) wrong.push(`${s.body} in phase ${phase} (${targets[phase]!.name}) at ${Math.round(s.start)}`);
  }
  expect(wrong.slice(0, 5), `${wrong.length} answers from an older release after a switch`).toEqual([]);
}
