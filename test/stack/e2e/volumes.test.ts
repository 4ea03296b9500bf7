import { describe, expect, it } from 'vitest';
import { logLines } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { docker } from '@berth/testing/stack';
import { counting, deployCounter, hit, settledOrSay, state } from './counter-setup.ts';
import { api, createProject, serving, stack, useReleaseStack } from './releases-setup.ts';

// Project volumes on the real stack (Docker, Caddy): data kept across releases and rollbacks, and the doors.
useReleaseStack({ env: { VOLUME_MEASURE_INTERVAL_MS: '500', MAX_VOLUMES_PER_PROJECT: '2' } });

const badNames = ['', 'Data', '-data', 'data-', 'a_b', '../x', 'da ta', 'a'.repeat(33), 'x/y', '\u00e9t\u00e9'];
const badPaths = [
  'data', '/', '//data', '/data/', '/data/../etc', '/./data', '/etc', '/etc/cron.d', '/proc/self', '/sys', '/dev/shm',
  '/usr/local/bin', '/run', '/var/run/docker.sock', '/app', '/da ta', '/data:ro', `/${'x'.repeat(250)}`, '/data\n',
];

describe('volumes', () => {
  it('refuses bad names, bad mount paths, extra keys, overlaps, a second name and past the limit', async () => {
    await createProject({ name: 'doors', healthPath: '/healthz' });
    for (const name of badNames) {
      const res = await api('POST', '/api/projects/doors/volumes', { name, mountPath: '/data' });
      expect([res.status, res.body.error?.code], `name ${JSON.stringify(name)}`).toEqual([400, 'VALIDATION_FAILED']);
    }
    for (const mountPath of badPaths) {
      const res = await api('POST', '/api/projects/doors/volumes', { name: 'data', mountPath });
      expect([res.status, res.body.error?.code], `mountPath ${JSON.stringify(mountPath)}`).toEqual([400, 'VALIDATION_FAILED']);
    }
    expect((await api('POST', '/api/projects/doors/volumes', { name: 'data', mountPath: '/data', driver: 'nfs' })).status).toBe(400);
    expect((await api('POST', '/api/projects/doors/volumes', { name: 'data', mountPath: 7 })).status).toBe(400);
    expect((await api('POST', '/api/projects/nope/volumes', { name: 'data', mountPath: '/data' })).status).toBe(404);
    expect((await api('POST', '/api/projects/doors/volumes', { name: 'data', mountPath: '/data' })).status).toBe(201);
    expect((await api('POST', '/api/projects/doors/volumes', { name: 'data', mountPath: '/other' })).body.error.code).toBe('CONFLICT');
    expect((await api('POST', '/api/projects/doors/volumes', { name: 'sub', mountPath: '/data/sub' })).body.error.code).toBe('CONFLICT');
    expect((await api('POST', '/api/projects/doors/volumes', { name: 'up', mountPath: '/srv' })).status).toBe(201);
    const third = await api('POST', '/api/projects/doors/volumes', { name: 'more', mountPath: '/more' });
    expect([third.status, third.body.error.code]).toEqual([409, 'LIMIT_REACHED']);
    expect((await api('DELETE', '/api/projects/doors/volumes/nope')).status).toBe(404);
    expect((await api('DELETE', '/api/projects/doors/volumes/up?force=maybe')).status).toBe(400);
    // No release runs: nothing mounts it, so no force is needed.
    expect((await api('DELETE', '/api/projects/doors/volumes/up')).status).toBe(200);
    expect((await api('GET', '/api/projects/doors/volumes')).body.items.map((v: any) => v.name)).toEqual(['data']);
  });

  it('keeps a counter across 3 releases and a rollback (stop-first too), refuses DELETE while mounted, and measures it', async () => {
    await createProject({ name: 'tally', healthPath: '/healthz' });
    const added = await api('POST', '/api/projects/tally/volumes', { name: 'data', mountPath: '/data' });
    expect(added.status).toBe(201);
    const { countUp, last } = counting('tally');
    const ids: string[] = [];
    const release = async (version: string) => {
      const d = await deployCounter('tally', version);
      expect((await settledOrSay(d.id)).status).toBe('running');
      await serving('tally', version);
      ids.push(d.id);
    };
    for (const version of ['v1', 'v2', 'v3']) {
      await release(version);
      await countUp();
    }
    expect(last()).toBeGreaterThanOrEqual(9);
    // The release command (berth.json) ran before each release, with the volume mounted.
    expect((await state('tally')).migrations).toBe('migrated v1\nmigrated v2\nmigrated v3\n');

    // Once v2 has drained and stopped, the rollback starts its kept image again: a new container, the same volume.
    await waitFor('v2 stopped', async () => (await api('GET', `/api/deployments/${ids[1]}`)).body.status === 'stopped', 20_000);
    const back = await api('POST', '/api/projects/tally/rollback', {});
    expect(back.status).toBe(202);
    expect((await settledOrSay(back.body.id)).status).toBe('running');
    await serving('tally', 'v2');
    await countUp();

    // stop-first: the old release stops before the new one starts; the count goes on.
    expect((await api('PATCH', '/api/projects/tally', { deployStrategy: 'stop-first' })).body.deployStrategy).toBe('stop-first');
    await release('v4');
    await countUp();
    expect((await logLines(stack, ids.at(-1)!)).some((l) => l.line.startsWith('stop-first: stopped release'))).toBe(true);

    // A stop-first release that never comes up: the old one is started again and serves, its count intact.
    expect((await api('PATCH', '/api/projects/tally/env', { env: { CRASH_AT_START: '1' } })).status).toBe(200);
    const sick = await deployCounter('tally', 'v5');
    expect(await settledOrSay(sick.id)).toMatchObject({ status: 'failed', errorCode: 'APP_EXITED' });
    expect((await logLines(stack, sick.id)).some((l) => l.line.startsWith(`starting release ${ids.at(-1)} again`))).toBe(true);
    await serving('tally', 'v4');
    await countUp();
    expect((await api('PATCH', '/api/projects/tally/env', { env: { CRASH_AT_START: null } })).status).toBe(200);

    const refused = await api('DELETE', '/api/projects/tally/volumes/data');
    expect([refused.status, refused.body.error.code]).toEqual([409, 'VOLUME_IN_USE']);
    const measured = await waitFor('the volume measured', async () => {
      const [v] = (await api('GET', '/api/projects/tally/volumes')).body.items;
      return v.bytesUsed > 0 ? v : undefined;
    }, 30_000, 200);
    expect(measured).toMatchObject({ name: 'data', mountPath: '/data', dockerVolume: expect.stringContaining('-vol-') });
    expect((await docker.getVolume(measured.dockerVolume).inspect()).Labels).toMatchObject({ 'dev.berth.project': 'tally', 'dev.berth.volume': 'data' });

    // Previews: with previewVolumes, a volume of their own (empty at first), never production's; it goes with the preview.
    expect((await api('PATCH', '/api/projects/tally', { previewVolumes: true })).body.previewVolumes).toBe(true);
    const preview = await deployCounter('tally', 'p1', { promote: 'false' });
    expect((await settledOrSay(preview.id)).status).toBe('running');
    expect(await hit(preview.id)).toBe(1);
    expect(await hit(preview.id)).toBe(2);
    expect((await state('tally')).count).toBe(last());
    const previewVolume = `${measured.dockerVolume}-${preview.id}`;
    expect((await docker.getVolume(previewVolume).inspect()).Labels).toMatchObject({ 'dev.berth.volume-preview': preview.id });
    expect((await api('DELETE', `/api/deployments/${preview.id}`)).status).toBe(200);
    await waitFor('the preview volume removed', async () => (await docker.getVolume(previewVolume).inspect().catch(() => undefined)) === undefined, 30_000, 200);

    // Forced: the row goes now, the Docker volume once no container uses it (the project is deleted here).
    expect((await api('DELETE', '/api/projects/tally/volumes/data?force=true')).status).toBe(200);
    expect((await api('DELETE', '/api/projects/tally')).status).toBe(200);
    await waitFor('the Docker volume removed', async () => {
      const inspected = await docker.getVolume(measured.dockerVolume).inspect().catch(() => undefined);
      return inspected === undefined;
    }, 30_000, 200);
  }, 480_000);
});
