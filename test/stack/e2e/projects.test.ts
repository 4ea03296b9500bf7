import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { queueStoredDeployment, releaseAppDir, settled } from '@berth/testing/deployments';
import { multipartBody } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, instanceImages } from '@berth/testing/stack';
import { SecretBox } from '@berth/shared/secret-box';
import { api, createProject, deployVersion, git, serving, stack, through, useReleaseStack } from './releases-setup.ts';

// Projects on the real stack: the API's CRUD and env, sources (archive, git), a key that no longer opens, deletion.
useReleaseStack({ git: true });

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

describe('projects and their sources', () => {
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
    const row = await queueStoredDeployment(stack, {
      id: `rk${randomBytes(5).toString('hex')}`,
      project: 'rekeyed',
      sourceType: 'archive',
      archive: { format: 'zip', data: await zipTestApp('release', { 'version.txt': 'rk' }) },
      rootDir: '',
      port: 3000,
      env: { SECRET_TOKEN: '' },
      envSealed: foreign,
    });
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
