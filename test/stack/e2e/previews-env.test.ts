import { describe, expect, it } from 'vitest';
import { logLines, settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { api, createProject, deployVersion, serving, stack, through, useReleaseStack } from './releases-setup.ts';

// Previews are not production (issue 25): a preview (promote=false) runs with the project's preview env,
// never its production env, unless the project sets previewsInheritEnv. The release app prints its env at /info.
useReleaseStack();

const PROD_SECRET = 'sk-prod-only-4f1c';
const PROD_BUILD_ARG = 'prod-build-arg-77';

/** What a running deployment's app says at /info (at its own URL, `<id>.localhost`). */
async function infoOf(id: string): Promise<{ version: string; secret: string | null; mode: string | null; greeting: string }> {
  expect((await settled(stack, id, 150_000)).status).toBe('running');
  let body = '';
  await waitFor(`${id} to answer /info`, async () => {
    const res = await through(id, '/info');
    body = res.body;
    return res.status === 200;
  });
  return JSON.parse(body);
}

describe('previews are not production', () => {
  it('a preview gets the preview env only: no production secret in its env, build or logs', async () => {
    await createProject({ name: 'pvenv', healthPath: '/healthz', env: { SECRET_TOKEN: PROD_SECRET, MODE: 'production' }, buildEnv: { GREETING: PROD_BUILD_ARG } });
    const put = await api('PUT', '/api/projects/pvenv/preview-env', { env: { MODE: 'preview' }, buildEnv: { GREETING: 'preview-build-arg' } });
    expect(put).toMatchObject({ status: 200, body: { envKeys: ['MODE'], buildEnvKeys: ['GREETING'] } });

    const release = await deployVersion('pvenv', 'r1');
    expect(await infoOf(release.id)).toMatchObject({ secret: PROD_SECRET, mode: 'production', greeting: PROD_BUILD_ARG });
    await serving('pvenv', 'r1');

    const preview = await deployVersion('pvenv', 'p1', { promote: 'false' });
    expect(await infoOf(preview.id)).toEqual({ version: 'p1', secret: null, mode: 'preview', greeting: 'preview-build-arg' });
    expect(JSON.stringify(await logLines(stack, preview.id))).not.toContain(PROD_SECRET);
    expect((await through('pvenv')).body).toBe('r1'); // the release still serves, with its own env
    expect(await infoOf(release.id)).toMatchObject({ secret: PROD_SECRET });
  }, 400_000);

  it('previewsInheritEnv: previews get the production env with the preview env on top', async () => {
    const patched = await api('PATCH', '/api/projects/pvenv', { previewsInheritEnv: true });
    expect(patched).toMatchObject({ status: 200, body: { previewsInheritEnv: true, previewEnvKeys: ['MODE'], previewBuildEnvKeys: ['GREETING'] } });
    const preview = await deployVersion('pvenv', 'p2', { promote: 'false' });
    expect(await infoOf(preview.id)).toEqual({ version: 'p2', secret: PROD_SECRET, mode: 'preview', greeting: 'preview-build-arg' });

    // Off again: the next preview is back to the preview env only.
    expect((await api('PATCH', '/api/projects/pvenv', { previewsInheritEnv: false })).body.previewsInheritEnv).toBe(false);
    const third = await deployVersion('pvenv', 'p3', { promote: 'false' });
    expect(await infoOf(third.id)).toMatchObject({ secret: null, mode: 'preview' });
  }, 400_000);

  it('shows the preview env by name only, changed by PATCH like env', async () => {
    const patched = await api('PATCH', '/api/projects/pvenv/preview-env', { env: { MODE: null, FEATURE_FLAG: 'on' } });
    expect(patched).toMatchObject({ status: 200, body: { envKeys: ['FEATURE_FLAG'], buildEnvKeys: ['GREETING'] } });
    expect((await api('GET', '/api/projects/pvenv/preview-env')).body).toEqual({ envKeys: ['FEATURE_FLAG'], buildEnvKeys: ['GREETING'] });
    // The production env is untouched by the preview env's routes, and no value is in any answer.
    expect((await api('GET', '/api/projects/pvenv/env')).body).toEqual({ envKeys: ['MODE', 'SECRET_TOKEN'], buildEnvKeys: ['GREETING'] });
    const project = JSON.stringify((await api('GET', '/api/projects/pvenv')).body);
    for (const value of [PROD_SECRET, PROD_BUILD_ARG, 'preview-build-arg', '"on"']) expect(project).not.toContain(value);
  });

  it('refuses a bad preview env or setting with 400, an unknown project with 404', async () => {
    const bad = [
      ['PUT', '/api/projects/pvenv/preview-env', { env: { '1bad': 'x' } }],
      ['PUT', '/api/projects/pvenv/preview-env', { buildEnv: { A: 'x' } }], // env is required
      ['PUT', '/api/projects/pvenv/preview-env', { env: { A: 1 } }],
      ['PUT', '/api/projects/pvenv/preview-env', { env: {}, extra: true }],
      ['PATCH', '/api/projects/pvenv/preview-env', { env: { A: { nested: 'x' } } }],
      ['PATCH', '/api/projects/pvenv/preview-env', ['env']],
      ['PATCH', '/api/projects/pvenv', { previewsInheritEnv: 'yes' }],
      ['POST', '/api/projects', { name: 'pvbad', previewsInheritEnv: 1 }],
    ] as const;
    for (const [method, url, payload] of bad) {
      const res = await api(method, url, payload);
      expect(res, `${method} ${url} ${JSON.stringify(payload)}`).toMatchObject({ status: 400, body: { error: { code: expect.any(String) } } });
    }
    expect((await api('PATCH', '/api/projects/pvenv/preview-env', 'not json')).status).toBe(415);
    const tooMany = Object.fromEntries(Array.from({ length: 201 }, (_, i) => [`K${i}`, 'v']));
    expect((await api('PATCH', '/api/projects/pvenv/preview-env', { env: tooMany })).status).toBe(400);
    expect((await api('GET', '/api/projects/nosuch/preview-env')).status).toBe(404);
    expect((await api('PUT', '/api/projects/nosuch/preview-env', { env: {} })).status).toBe(404);
    expect((await api('GET', '/api/projects/pvenv/preview-env')).body.envKeys).toEqual(['FEATURE_FLAG']); // nothing changed
  });
});
