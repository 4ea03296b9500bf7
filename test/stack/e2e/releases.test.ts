import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { callApi, logLines, releaseAppDir, settled } from '@berth/testing/deployments';
import { multipartBody, request } from '@berth/testing/http';
import { SteadyLoad, type LoadSample } from '@berth/testing/load';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, instanceImages, startStack, type Stack } from '@berth/testing/stack';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { randomBytes } from 'node:crypto';
import { enqueueDeployment } from '@berth/shared/jobs';
import { SecretBox } from '@berth/shared/secret-box';

// Projects and their releases on the real stack: API, two workers, router-sync and a private Caddy.
let stack: Stack;
let git: GitServer;
beforeAll(async () => {
  git = await startGitServer();
  stack = await startStack({
    workers: 2,
    // A health check timeout a loaded machine's app start stays well inside (the unhealthy release waits it out).
    env: { DRAIN_MS: '1500', RELEASES_KEPT: '4', MAINTENANCE_INTERVAL_MS: '500', HEALTHCHECK_TIMEOUT_MS: '10000' },
  });
});
afterAll(async () => {
  await stack?.close();
  await git?.stop();
});

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);

async function createProject(body: Record<string, unknown>): Promise<any> {
  const res = await api('POST', '/api/projects', body);
  if (res.status !== 201) throw new Error(`create project answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Deploys `version` of test-apps/release as an archive to the project; returns the deployment. */
async function deployVersion(project: string, version: string, fields: Record<string, string> = {}): Promise<any> {
  const archive = await zipTestApp('release', { 'version.txt': version });
  const res = await stack.inject({
    method: 'POST',
    url: `/api/projects/${project}/deployments`,
    ...(await multipartBody(fields, { name: 'app.zip', data: archive })),
  });
  if (res.statusCode !== 202) throw new Error(`deploy answered ${res.statusCode}: ${res.body}`);
  return res.json();
}

const through = (project: string, path = '/') => request(`${stack.caddyUrl}${path}`, { host: `${project}.localhost` });
const serving = (project: string, version: string, timeoutMs = 30_000) =>
  waitFor(`${project} to serve ${version}`, async () => (await through(project)).body === version, timeoutMs, 25);

describe('projects API', () => {
  it('creates a project with its stable URL, refuses a taken or reserved name, lists, shows, changes and deletes it', async () => {
    const p = await createProject({ name: 'crud-app', port: 3000, healthPath: '/healthz', env: { SECRET_TOKEN: 'tok-crud-1234' } });
    expect(p).toMatchObject({ name: 'crud-app', url: `http://crud-app.localhost:${stack.caddy!.httpPort}`, healthPath: '/healthz', envKeys: ['SECRET_TOKEN'], currentDeployment: null });
    expect(p.id).toMatch(/^prj[a-z0-9]{13}$/);
    expect(JSON.stringify(p)).not.toContain('tok-crud-1234');

    expect((await api('POST', '/api/projects', { name: 'crud-app' })).status).toBe(409);
    for (const name of ['api', 'www', 'localhost', 'abcdefghijkl', 'Bad_Name', '-x', 'a'.repeat(41)]) {
      const res = await api('POST', '/api/projects', { name });
      expect(res.status, name).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await api('POST', '/api/projects', { name: 'bad-git', gitUrl: 'file:///etc' })).body.error.code).toBe('INVALID_GIT_URL');
    expect((await api('POST', '/api/projects', { name: 'bad-health', healthPath: 'http://x/' })).status).toBe(400);
    expect((await api('POST', '/api/projects', { name: 'bad-key', nope: 1 })).status).toBe(400);

    expect((await api('GET', '/api/projects')).body.items.map((i: any) => i.name)).toContain('crud-app');
    const shown = await api('GET', '/api/projects/crud-app');
    expect(shown.body).toMatchObject({ name: 'crud-app', releases: [], disk: { imageBytes: 0, archiveBytes: 0 } });
    expect((await api('GET', '/api/projects/nope')).status).toBe(404);

    const patched = await api('PATCH', '/api/projects/crud-app', { port: 8080, ref: 'main' });
    expect(patched.body).toMatchObject({ port: 8080, ref: 'main' });
    expect((await api('PATCH', '/api/projects/crud-app', { port: 0 })).status).toBe(400);

    const del = await api('DELETE', '/api/projects/crud-app');
    expect(del).toMatchObject({ status: 200, body: { name: 'crud-app', stopped: [] } });
    expect((await api('GET', '/api/projects/crud-app')).status).toBe(404);
  });

  it('keeps env values sealed: only keys come back, PUT replaces, PATCH sets and unsets, the database holds no value', async () => {
    await createProject({ name: 'env-app', env: { A_KEY: 'value-aaaa-1' } });
    expect((await api('PUT', '/api/projects/env-app/env', { env: { B_KEY: 'value-bbbb-2', C_KEY: 'value-cccc-3' }, buildEnv: { GREETING: 'hi-build' } })).body).toEqual({
      envKeys: ['B_KEY', 'C_KEY'],
      buildEnvKeys: ['GREETING'],
    });
    expect((await api('PATCH', '/api/projects/env-app/env', { env: { C_KEY: null, D_KEY: 'value-dddd-4' } })).body).toEqual({
      envKeys: ['B_KEY', 'D_KEY'],
      buildEnvKeys: ['GREETING'],
    });
    expect((await api('GET', '/api/projects/env-app/env')).body.envKeys).toEqual(['B_KEY', 'D_KEY']);
    expect((await api('PATCH', '/api/projects/env-app/env', { env: { 'bad key': 'x' } })).status).toBe(400);
    expect((await api('PUT', '/api/projects/nope/env', { env: {} })).status).toBe(404);
    const row = await stack.db.db.selectFrom('projects').selectAll().where('name', '=', 'env-app').executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toMatch(/value-(aaaa|bbbb|dddd)|hi-build/);
  });

  it('accepts the sourceType the seed clients send and refuses one that contradicts the request', async () => {
    const archive = await zipTestApp('release', { 'version.txt': 'st' });
    const upload = await stack.inject({ method: 'POST', url: '/api/deployments', ...(await multipartBody({ name: 'source-type', sourceType: 'upload' }, { name: 'a.zip', data: archive })) });
    expect(upload.statusCode).toBe(202);
    const contradiction = await stack.inject({ method: 'POST', url: '/api/deployments', ...(await multipartBody({ name: 'source-type', sourceType: 'git' }, { name: 'a.zip', data: archive })) });
    expect(contradiction.json().error.code).toBe('SOURCE_AMBIGUOUS');
    const gitWithoutUrl = await api('POST', '/api/deployments', { sourceType: 'upload', gitUrl: 'https://example.com/x.git' });
    expect(gitWithoutUrl.body.error.code).toBe('SOURCE_AMBIGUOUS');
    expect((await api('POST', '/api/deployments', { sourceType: 'ftp', gitUrl: 'https://example.com/x.git' })).status).toBe(400);
    expect((await settled(stack, upload.json().id)).status).toBe('running');
  });
});

describe('releases', () => {
  it('switches the project URL release after release with a steady load seeing no error and no older release after a switch', async () => {
    await createProject({ name: 'shop', healthPath: '/healthz' });
    const first = await deployVersion('shop', 'v1');
    expect((await settled(stack, first.id)).status).toBe('running');
    await serving('shop', 'v1');

    // A steady load, not a flood: the rest of the suite shares the machine's two cores.
    const load = new SteadyLoad(`${stack.caddyUrl}/`, 'shop.localhost', { concurrency: 4, pauseMs: 5 });
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
    console.log(`release load: ${samples.length} requests, ${samples.filter((s) => s.retried).length} sent again after a proxy reload closed their idle connection`);
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

  it('a preview runs at its own URL without taking the project URL, until promoted', async () => {
    await createProject({ name: 'pre', healthPath: '/healthz' });
    const live = await deployVersion('pre', 'p1');
    expect((await settled(stack, live.id)).status).toBe('running');
    const preview = await deployVersion('pre', 'p2', { promote: 'false' });
    expect((await settled(stack, preview.id)).status).toBe('running');
    await waitFor('preview at its own URL', async () => (await request(`${stack.caddyUrl}/`, { host: `${preview.id}.localhost` })).body === 'p2');
    expect((await through('pre')).body).toBe('p1');
    expect((await api('GET', `/api/deployments/${preview.id}`)).body).toMatchObject({ promote: false, current: false });

    const promoted = await api('POST', `/api/deployments/${preview.id}/promote`);
    expect(promoted).toMatchObject({ status: 200, body: { current: true } });
    await serving('pre', 'p2', 5000);
    expect((await api('POST', `/api/deployments/nosuchdeploy/promote`)).status).toBe(404);
  }, 60_000);

  it('redeploys the same archive again, and keeps only RELEASES_KEPT releases with their images', async () => {
    await createProject({ name: 'gc-app', healthPath: '/healthz' });
    const ids: string[] = [];
    for (const v of ['g1', 'g2', 'g3', 'g4', 'g5']) {
      const d = await deployVersion('gc-app', v);
      expect((await settled(stack, d.id)).status).toBe('running');
      ids.push(d.id);
    }
    const again = await api('POST', `/api/deployments/${ids[4]}/redeploy`);
    expect(again.status).toBe(202);
    expect((await settled(stack, again.body.id)).status).toBe('running');
    await serving('gc-app', 'g5');
    // 6 builds, 4 kept (RELEASES_KEPT): the two oldest lose their image once stopped.
    await waitFor('old images removed, and no longer listed as releases', async () => {
      const images = await instanceImages(stack.instance);
      const releases = (await api('GET', '/api/projects/gc-app')).body.releases.map((r: any) => r.id);
      return !images.some((t) => t.includes(ids[0]!) || t.includes(ids[1]!)) && !releases.includes(ids[0]) && !releases.includes(ids[1]);
    }, 15_000);
    const releases = (await api('GET', '/api/projects/gc-app')).body.releases.map((r: any) => r.id);
    expect(releases).toEqual(expect.arrayContaining([ids[2], ids[3], ids[4], again.body.id]));
    expect((await api('POST', `/api/deployments/${ids[0]}/redeploy`)).body.error.code).toBe('CONFLICT'); // its archive is gone too
    const gone = await api('POST', '/api/projects/gc-app/rollback', { deploymentId: ids[0] });
    expect(gone.status).toBe(409);
  }, 90_000);

  it('runs with the project env and build env, masks them in logs, and snapshots them per deployment', async () => {
    await createProject({ name: 'envy', healthPath: '/healthz', env: { SECRET_TOKEN: 'sk-envy-secret-1' }, buildEnv: { GREETING: 'hello-build-arg' } });
    const d = await deployVersion('envy', 'e1');
    expect((await settled(stack, d.id)).status).toBe('running');
    await serving('envy', 'e1');
    expect(JSON.parse((await through('envy', '/info')).body)).toMatchObject({ secret: 'sk-envy-secret-1', greeting: 'hello-build-arg' });
    const logs = JSON.stringify(await logLines(stack, d.id));
    expect(logs).not.toContain('sk-envy-secret-1');
    expect(logs).not.toContain('hello-build-arg');
    // Changing the env changes the next deployment, not the running one; a rollback brings back the old snapshot.
    await api('PATCH', '/api/projects/envy/env', { env: { SECRET_TOKEN: 'sk-envy-secret-2' } });
    const d2 = await deployVersion('envy', 'e2');
    expect((await settled(stack, d2.id)).status).toBe('running');
    await serving('envy', 'e2');
    expect(JSON.parse((await through('envy', '/info')).body).secret).toBe('sk-envy-secret-2');
    const back = await api('POST', '/api/projects/envy/rollback', {});
    expect([200, 202]).toContain(back.status);
    await serving('envy', 'e1');
    expect(JSON.parse((await through('envy', '/info')).body).secret).toBe('sk-envy-secret-1');
  }, 60_000);

  it('builds one deployment per project at a time: newer requests supersede queued ones, other projects go on', async () => {
    await createProject({ name: 'busy', healthPath: '/healthz' });
    await createProject({ name: 'other', healthPath: '/healthz' });
    const slow = await zipTestApp('release', {
      'version.txt': 's1',
      Dockerfile: 'FROM berth/node:24\nWORKDIR /app\nCOPY . /app/\nRUN echo greeting > /app/greeting.txt && sleep 3\nCMD ["node", "/app/server.js"]\n',
    });
    const post = async (project: string, archive: Buffer) =>
      (await stack.inject({ method: 'POST', url: `/api/projects/${project}/deployments`, ...(await multipartBody({}, { name: 'a.zip', data: archive })) })).json();
    const building = await post('busy', slow);
    await waitFor('first build running', async () => (await api('GET', `/api/deployments/${building.id}`)).body.status === 'building', 15_000);
    const queued = [];
    for (const v of ['s2', 's3', 's4']) queued.push(await post('busy', await zipTestApp('release', { 'version.txt': v })));
    // Another project is not held up by busy's build (two workers).
    const other = await deployVersion('other', 'o1');
    const mid = await api('GET', `/api/deployments/${queued[2].id}`);
    expect(mid.body.status).toBe('queued');
    expect(mid.body.queuePosition).toBeGreaterThanOrEqual(1);
    expect((await settled(stack, other.id)).status).toBe('running');

    for (const superseded of queued.slice(0, 2)) {
      expect(await settled(stack, superseded.id)).toMatchObject({ status: 'canceled', errorCode: 'SUPERSEDED' });
    }
    expect((await settled(stack, building.id)).status).toBe('running'); // never killed by the newer requests
    expect((await settled(stack, queued[2].id)).status).toBe('running');
    await serving('busy', 's4');
    // The newest began only after the first build was over: one build per project.
    const began = await stack.db.history.list(queued[2].id);
    const firstLive = (await stack.db.history.list(building.id)).find((t) => t.status === 'running')!;
    expect(began.find((t) => t.status === 'fetching')!.at.getTime()).toBeGreaterThanOrEqual(firstLive.at.getTime());
  }, 90_000);

  it('deploys a project from its git settings, records the commit, and a redeploy resolves the ref again', async () => {
    const source = releaseAppDir;
    const url = git.publish('gitproj', source('c1'));
    await createProject({ name: 'gitproj', gitUrl: url, ref: 'main', healthPath: '/healthz' });
    const first = await api('POST', '/api/projects/gitproj/deployments', {});
    expect(first.status).toBe(202);
    const d1 = await settled(stack, first.body.id);
    expect(d1).toMatchObject({ status: 'running', commitSha: git.head('gitproj'), source: { type: 'git', ref: 'main' } });
    await serving('gitproj', 'c1');

    git.publish('gitproj', source('c2')); // a new commit on main
    const again = await api('POST', `/api/deployments/${first.body.id}/redeploy`);
    expect(again.status).toBe(202);
    const d2 = await settled(stack, again.body.id);
    expect(d2.commitSha).toBe(git.head('gitproj'));
    expect(d2.commitSha).not.toBe(d1.commitSha);
    await serving('gitproj', 'c2');

    // Without a git URL and without an archive there is nothing to build.
    await createProject({ name: 'no-source' });
    expect((await api('POST', '/api/projects/no-source/deployments', {})).body.error.code).toBe('SOURCE_MISSING');
    expect((await api('POST', '/api/projects/gitproj/deployments', { ref: '--upload-pack=x' })).status).toBe(400);
    expect((await api('POST', '/api/projects/nope/deployments', {})).status).toBe(404);
  }, 60_000);

  it('an env sealed under another key fails clearly: 409 from the API, SECRET_UNREADABLE for a deployment', async () => {
    const foreign = new SecretBox(randomBytes(32)).seal({ SECRET_TOKEN: 'from-another-key' });
    await createProject({ name: 'rekeyed', gitUrl: 'https://git.example.com/x.git', env: { A: 'b' } });
    await stack.db.db.updateTable('projects').set({ env_sealed: foreign }).where('name', '=', 'rekeyed').execute();
    const refused = await api('POST', '/api/projects/rekeyed/deployments', {});
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SECRET_UNREADABLE');
    expect((await api('GET', '/api/projects/rekeyed')).status).toBe(409);
    // A deployment whose own snapshot does not open fails instead of hanging in flight.
    const row = await stack.db.store.create({
      id: `rk${randomBytes(5).toString('hex')}`,
      project: 'rekeyed',
      sourceType: 'archive',
      archive: { format: 'zip', data: await zipTestApp('release', { 'version.txt': 'rk' }) },
      rootDir: '',
      port: 3000,
      env: { SECRET_TOKEN: '' },
      envSealed: foreign,
    });
    const { Queue } = await import('bullmq');
    const { queuePrefix } = await import('@berth/shared/redis-keys');
    const { createRedis } = await import('@berth/shared/redis');
    const queue = new Queue('deployments', { connection: createRedis(stack.env.REDIS_URL!), prefix: queuePrefix(stack.instance) });
    await enqueueDeployment(queue as never, row.id);
    await queue.close();
    expect(await settled(stack, row.id)).toMatchObject({ status: 'failed', errorCode: 'SECRET_UNREADABLE' });
  }, 30_000);

  it('deleting a project stops everything of it and removes its routes and images', async () => {
    await createProject({ name: 'doomed', healthPath: '/healthz' });
    const d = await deployVersion('doomed', 'd1');
    expect((await settled(stack, d.id)).status).toBe('running');
    await serving('doomed', 'd1');
    const res = await api('DELETE', '/api/projects/doomed');
    expect(res.body).toMatchObject({ name: 'doomed', stopped: [d.id] });
    await waitFor('route gone', async () => (await through('doomed')).status === 404, 10_000);
    await waitFor('container and image gone', async () => {
      const containers = (await instanceContainers(stack.instance)).some((c) => c.Labels['dev.berth.deployment'] === d.id);
      const images = (await instanceImages(stack.instance)).some((t) => t.includes(d.id));
      return !containers && !images;
    }, 15_000);
    expect((await api('GET', `/api/deployments/${d.id}`)).status).toBe(404);
  }, 60_000);
});

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
