import { describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { logLines, settled } from '@berth/testing/deployments';
import { multipartBody, request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { instanceImages } from '@berth/testing/stack';
import { api, createProject, deployVersion, serving, stack, through, useReleaseStack } from './releases-setup.ts';

// Releases of a project on the real stack: previews, redeploys and the releases kept, env per deployment, one build per project.
useReleaseStack();

describe('releases', () => {
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
});
