import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { callApi, queueStoredDeployment, settled } from '@berth/testing/deployments';
import { legacySeal } from '@berth/testing/sealing';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 24, door 11: anyone with write access to the database could move a
// sealed value into another project's row (or env into build env), and it
// opened there. Each sealed value is now bound to its project and kind.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ router: false });
});
afterAll(async () => {
  await stack?.close();
});

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const projectRow = (name: string) => stack.db.db.selectFrom('projects').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
const setProjectEnv = (name: string, sealed: string | null) => stack.db.db.updateTable('projects').set({ env_sealed: sealed }).where('name', '=', name).execute();


describe('a sealed value copied to another row does not open there', () => {
  it("into another project's row, or from build env to env: 409 SECRET_MISPLACED from the API, never a 500", async () => {
    const archive = { gitUrl: 'https://git.example.com/x.git' };
    expect((await api('POST', '/api/projects', { name: 'victim', ...archive, env: { TOKEN: 'victim-token-1' }, buildEnv: { NPM_TOKEN: 'victim-npm-1' } })).status).toBe(201);
    expect((await api('POST', '/api/projects', { name: 'thief', ...archive, env: { X: 'thief-value' } })).status).toBe(201);
    const victim = await projectRow('victim');

    await setProjectEnv('thief', victim.env_sealed);
    for (const [method, url] of [['GET', '/api/projects/thief'], ['POST', '/api/projects/thief/deployments'], ['GET', '/api/projects/thief/env']] as const) {
      const res = await api(method, url, method === 'POST' ? {} : undefined);
      expect(res.status, `${method} ${url}`).toBe(409);
      expect(res.body.error.code).toBe('SECRET_MISPLACED');
      expect(JSON.stringify(res.body)).not.toContain('victim-token-1');
    }
    // The victim's own build env moved into its env does not open either.
    await setProjectEnv('victim', victim.build_env_sealed);
    expect((await api('GET', '/api/projects/victim')).body.error.code).toBe('SECRET_MISPLACED');
    await setProjectEnv('victim', victim.env_sealed);
    expect((await api('GET', '/api/projects/victim')).status).toBe(200);
  });

  it("into another project's deployment: the deployment fails with SECRET_MISPLACED, and the worker goes on", async () => {
    const victim = await projectRow('victim');
    const row = await queueStoredDeployment(stack, {
      id: `mp${randomBytes(5).toString('hex')}`,
      project: 'thief',
      sourceType: 'archive',
      archive: { format: 'zip', data: await zipTestApp('release', { 'version.txt': 'mp' }) },
      rootDir: '',
      port: 3000,
      env: {},
      envSealed: victim.env_sealed,
    });
    const final = await settled(stack, row.id);
    expect(final).toMatchObject({ status: 'failed', errorCode: 'SECRET_MISPLACED' });
    expect(final.errorMessage).toContain('project:thief:env');
    expect(JSON.stringify(final)).not.toContain('victim-token-1');
    expect(stack.workers.every((w) => w.worker.isRunning())).toBe(true);
  }, 60_000);

  it('values sealed before key ids and places still open (an upgraded database), and are sealed bound from then on', async () => {
    expect((await api('POST', '/api/projects', { name: 'legacy', gitUrl: 'https://git.example.com/x.git' })).status).toBe(201);
    await setProjectEnv('legacy', legacySeal(Buffer.from(stack.env.BERTH_SECRET_KEY!, 'hex'), { OLD_TOKEN: 'from-v1' }));
    const res = await api('GET', '/api/projects/legacy/env');
    expect(res.status).toBe(200);
    expect(res.body.envKeys).toEqual(['OLD_TOKEN']);
    // A change through the API seals the env again, bound to its place.
    expect((await api('PATCH', '/api/projects/legacy/env', { env: { NEW: 'value-2' } })).body.envKeys).toEqual(['NEW', 'OLD_TOKEN']);
    const sealed = (await projectRow('legacy')).env_sealed!;
    expect(sealed.startsWith(`v2.${stack.apiDeps().secrets.keyId}.`)).toBe(true);
    await setProjectEnv('thief', sealed);
    expect((await api('GET', '/api/projects/thief')).body.error.code).toBe('SECRET_MISPLACED');
  });
});
