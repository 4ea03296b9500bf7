import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeployKeyStore } from '@berth/shared/accounts/deploy-key-store';
import { WebhookStore } from '@berth/shared/webhook-store';
import { SseClient } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';
import { makeAccessWorld, makeDeployment, otherProject, walkProject, type AccessWorld } from './access-fixtures.ts';

/** Issue 25's attacks, tried on the real stack: deploying into a project one is no member of, and reading its secrets as a viewer. */
let stack: Stack;
let world: AccessWorld;
beforeAll(async () => {
  stack = await startStack({ workers: 0, router: false, env: { DEPLOY_RATE_LIMIT: '100000' } });
  world = await makeAccessWorld(stack, 'attack');
});
afterAll(async () => {
  await stack?.close();
});

const gitUrl = 'https://example.com/acme/app.git';
const deploymentsOf = async (project: string) =>
  (await stack.db.db.selectFrom('deployments').select('id').where('project', '=', project).execute()).length;

describe('a deploy credential of another project', () => {
  it('cannot deploy into the victim: 404, the same answer as a project that does not exist, and nothing is written', async () => {
    const attacker = world.byName('admin of another project');
    const token = (await world.tokens.create('attacker', 'deploy', undefined, { ownerUserId: attacker.userId! })).token;
    const otherKey = (await new DeployKeyStore(stack.db.db).create(otherProject, 'their-ci', null)).key;
    const before = await deploymentsOf(walkProject);
    for (const secret of [token, otherKey]) {
      const headers = { authorization: `Bearer ${secret}` };
      const post = (url: string, payload: object) => stack.api.inject({ method: 'POST', url, headers, payload });
      const attacks = [
        await post(`/api/projects/${walkProject}/deployments`, {}),
        await post('/api/deployments', { name: walkProject, gitUrl }),
        // The name guessed from the git URL is the victim's.
        await post('/api/deployments', { gitUrl: `https://example.com/acme/${walkProject}.git` }),
      ];
      for (const res of attacks) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json()).toEqual({ error: { code: 'NOT_FOUND', message: `project ${walkProject} does not exist` } });
      }
      const missing = await post('/api/projects/no-such-project/deployments', {});
      expect(missing.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'project no-such-project does not exist' } });
      // Nor anything else of the victim's: its hook secret, settings, env, domains, deletion.
      for (const [method, url] of [
        ['POST', `/api/projects/${walkProject}/hook-secret`],
        ['PATCH', `/api/projects/${walkProject}`],
        ['PUT', `/api/projects/${walkProject}/env`],
        ['POST', `/api/projects/${walkProject}/domains`],
        ['DELETE', `/api/projects/${walkProject}`],
      ] as const) {
        const res = await stack.api.inject({ method, url, headers, payload: {} });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
      }
    }
    expect(await deploymentsOf(walkProject)).toBe(before);
    // Their own project they may deploy (the refusal above is about the victim, not the credential).
    expect((await stack.api.inject({ method: 'POST', url: `/api/projects/${otherProject}/deployments`, headers: { authorization: `Bearer ${otherKey}` }, payload: {} })).statusCode).toBe(202);
  });
});

describe('a viewer', () => {
  const envValue = 'env-value-7f3a9c1e';
  const buildEnvValue = 'build-env-value-2b8d';
  const hookUrl = 'https://hooks.example.test/services/T000/B000/webhook-path-secret-5e1d';

  it('never sees an env value, the hook secret or a webhook URL in any response or event; an admin sees the webhook URL', async () => {
    const admin = world.byName('admin');
    const env = await stack.api.inject({ method: 'PUT', url: `/api/projects/${walkProject}/env`, headers: admin.headers(), payload: { env: { SECRET: envValue }, buildEnv: { BUILD_SECRET: buildEnvValue } } });
    expect(env.statusCode, env.body).toBe(200);
    const rotated = await stack.api.inject({ method: 'POST', url: `/api/projects/${walkProject}/hook-secret`, headers: admin.headers() });
    expect(rotated.statusCode, rotated.body).toBe(200);
    const hookSecret = rotated.json().hookSecret as string;
    await new WebhookStore(stack.db.db).create(walkProject, { url: hookUrl, events: ['deployment.running'], secretSealed: stack.apiDeps().secrets.seal({ secret: 'x' }) });
    const secrets = [envValue, buildEnvValue, hookSecret, hookUrl, 'webhook-path-secret'];

    const viewer = world.byName('viewer');
    const id = world.deploymentId();
    const events = await Promise.all(
      [`/api/deployments/${id}/events`, '/api/events'].map((path) => SseClient.open(`${stack.apiUrl}${path}`, { headers: viewer.headers() })),
    );
    const bodies: string[] = [];
    for (const route of stack.api.routeAccess.filter((r) => r.method === 'GET' && r.action !== 'public' && !r.url.includes('events'))) {
      const url = route.url.replace(':name', walkProject).replace(':id', id).replace(/:[A-Za-z]+/g, 'abcdefghijkl');
      const res = await stack.api.inject({ method: 'GET', url, headers: viewer.headers() });
      bodies.push(`${url} ${res.statusCode} ${res.body}`);
    }
    // Something happens while the viewer watches: a new deployment and a cancel (status events).
    const fresh = await makeDeployment(stack, walkProject);
    expect((await stack.inject({ method: 'POST', url: `/api/deployments/${fresh}/cancel` })).statusCode).toBe(200);
    await waitFor('the viewer to see the cancel', () => events[1]!.events.some((e) => e.event === 'status' && e.data.deploymentId === fresh), 5000);
    for (const sse of events) sse.close();
    bodies.push(JSON.stringify(events.map((sse) => sse.events)));

    const all = bodies.join('\n');
    expect(all).toContain(`"name":"${walkProject}"`); // the walk did read the project
    expect(all).toContain('https://hooks.example.test/…'); // its webhook, redacted
    for (const secret of secrets) expect(all, secret).not.toContain(secret);

    const adminView = await stack.api.inject({ method: 'GET', url: `/api/projects/${walkProject}/webhooks`, headers: admin.headers() });
    expect(adminView.json().items.map((w: { url: string }) => w.url)).toEqual([hookUrl]);
  });
});

describe('lists', () => {
  it('show each caller only the projects it may see: projects, deployments and the live events of everything', async () => {
    const outsider = world.byName('admin of another project');
    const key = world.byName('deploy key');
    const names = async (headers: Record<string, string>) =>
      (await stack.api.inject({ method: 'GET', url: '/api/projects', headers })).json().items.map((p: { name: string }) => p.name);
    const projectsOfDeployments = async (headers: Record<string, string>, query = '') =>
      new Set((await stack.api.inject({ method: 'GET', url: `/api/deployments${query}`, headers })).json().items.map((d: { project: string }) => d.project));
    expect(await names(outsider.headers())).toEqual([otherProject]);
    expect(await names(key.headers())).toEqual([walkProject]);
    expect((await names(world.byName('owner').headers())).sort()).toEqual(expect.arrayContaining([otherProject, walkProject]));
    expect(await projectsOfDeployments(outsider.headers())).toEqual(new Set([otherProject]));
    expect(await projectsOfDeployments(outsider.headers(), `?project=${walkProject}`)).toEqual(new Set());
    expect(await projectsOfDeployments(key.headers())).toEqual(new Set([walkProject]));

    const outsiderStream = await SseClient.open(`${stack.apiUrl}/api/events`, { headers: outsider.headers() });
    const ownerStream = await SseClient.open(`${stack.apiUrl}/api/events`, { headers: world.byName('owner').headers() });
    const hidden = await makeDeployment(stack, walkProject);
    const shown = await makeDeployment(stack, otherProject);
    for (const id of [hidden, shown]) expect((await stack.inject({ method: 'POST', url: `/api/deployments/${id}/cancel` })).statusCode).toBe(200);
    const saw = (sse: SseClient, id: string) => sse.events.some((e) => e.data?.deploymentId === id);
    await waitFor('both streams to see the visible cancel', () => saw(outsiderStream, shown) && saw(ownerStream, shown) && saw(ownerStream, hidden), 5000);
    expect(saw(outsiderStream, hidden)).toBe(false);
    outsiderStream.close();
    ownerStream.close();
  });
});
