import { createHmac, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { resolveWebhookTarget } from '@berth/shared/webhook-target';
import { buildApp } from '@berth/api/app';
import { verifyBerthSignature } from '../../../docs/examples/verify-berth-signature.mjs';
import { callApi, releaseAppDir, settled } from '@berth/testing/deployments';
import { startGitServer, type GitServer } from '@berth/testing/git-server';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { authHeaders, startStack, type Stack } from '@berth/testing/stack';

// Deploy on push and outgoing webhooks, on the real stack, a real git daemon and a local receiver.
let stack: Stack;
let git: GitServer;
beforeAll(async () => {
  git = await startGitServer();
  stack = await startStack({
    workers: 2,
    env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'true', WEBHOOK_RETRY_BASE_MS: '300', WEBHOOK_TIMEOUT_MS: '1500', DRAIN_MS: '1000', MAINTENANCE_INTERVAL_MS: '500' },
  });
});
afterAll(async () => {
  await stack?.close();
  await git?.stop();
});

const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);
const source = releaseAppDir;
const through = (label: string) => request(`${stack.caddyUrl}/`, { host: `${label}.localhost` });
const serving = (label: string, version: string, timeoutMs = 20_000) =>
  waitFor(`${label} to serve ${version}`, async () => (await through(label)).body === version, timeoutMs, 50);

/** A project on a fresh repository; returns its hook secret. */
async function gitProject(name: string): Promise<{ url: string; secret: string }> {
  const url = git.publish(name, source('p0'));
  const res = await api('POST', '/api/projects', { name, gitUrl: url, ref: 'main', healthPath: '/healthz' });
  expect(res.status).toBe(201);
  expect(res.body.hookUrl).toBe(`http://localhost:${stack.caddy!.httpPort}/api/hooks/git/${name}`);
  return { url, secret: res.body.hookSecret };
}

/** Sends a delivery as a git host would (raw JSON body, its headers). */
async function deliver(project: string, body: unknown, headers: Record<string, string>) {
  const res = await stack.inject({
    method: 'POST',
    url: `/api/hooks/git/${project}`,
    headers: { 'content-type': 'application/json', authorization: '', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.statusCode, body: res.json() };
}
const hmac = (secret: string, raw: string) => createHmac('sha256', secret).update(raw).digest('hex');
function githubPush(secret: string, branch: string, sha: string, message = 'a change') {
  const raw = JSON.stringify({ ref: `refs/heads/${branch}`, after: sha, deleted: false, head_commit: { id: sha, message, author: { name: 'Ada' } } });
  return { raw, headers: { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, raw)}` } };
}

describe('deploy on push', () => {
  it('a signed GitHub push to the production branch releases exactly that commit, with its author and message', async () => {
    const { secret } = await gitProject('hooked');
    const sha = git.push('hooked', source('h1'), 'main', 'ship h1');
    const { raw, headers } = githubPush(secret, 'main', sha, 'ship h1');
    const res = await deliver('hooked', raw, headers);
    expect(res).toMatchObject({ status: 202, body: { action: 'deploy', url: `http://hooked.localhost:${stack.caddy!.httpPort}` } });
    const d = await settled(stack, res.body.deploymentId);
    expect(d).toMatchObject({ status: 'running', commitSha: sha, source: { type: 'git', ref: sha } });
    const row = await stack.db.store.get(d.id);
    expect(row).toMatchObject({ commit_author: 'Ada', commit_message: 'ship h1', branch: null });
    await serving('hooked', 'h1');
    // A newer commit on main afterwards does not change what that deployment built.
    git.push('hooked', source('h2'), 'main');
    expect((await through('hooked')).body).toBe('h1');
  }, 60_000);

  it('takes GitLab, Gitea and the generic shape, each with its own signature', async () => {
    const { secret } = await gitProject('multi');
    const sha1 = git.push('multi', source('m1'), 'main');
    const gitlab = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/main', after: sha1, user_name: 'Grace', commits: [{ id: sha1, message: 'gl', author: { name: 'Grace' } }] });
    const r1 = await deliver('multi', gitlab, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': secret, 'x-gitlab-event-uuid': randomUUID() });
    expect(r1.status).toBe(202);
    const sha2 = git.push('multi', source('m2'), 'main');
    const gitea = JSON.stringify({ ref: 'refs/heads/main', after: sha2, commits: [{ id: sha2, message: 'gt', author: { name: 'Linus' } }] });
    const r2 = await deliver('multi', gitea, { 'x-gitea-event': 'push', 'x-gitea-signature': hmac(secret, gitea), 'x-gitea-delivery': randomUUID() });
    expect(r2.status).toBe(202);
    const sha3 = git.push('multi', source('m3'), 'main');
    const generic = JSON.stringify({ ref: 'main', sha: sha3, author: 'ci', message: 'generic' });
    const r3 = await deliver('multi', generic, { 'x-berth-signature': `sha256=${hmac(secret, generic)}`, 'x-berth-delivery': randomUUID() });
    expect(r3.status).toBe(202);
    expect((await settled(stack, r3.body.deploymentId)).status).toBe('running');
    await serving('multi', 'm3');
    // GitHub's ping when a hook is set up.
    const ping = '{"zen":"hi"}';
    expect((await deliver('multi', ping, { 'x-github-event': 'ping', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, ping)}` })).body).toEqual({ action: 'pong' });
  }, 90_000);

  it('refuses unsigned, wrongly signed, foreign-project and replayed deliveries, starting nothing', async () => {
    const { secret } = await gitProject('guarded');
    const sha = git.push('guarded', source('g1'), 'main');
    const count = async () => (await stack.db.store.list({ limit: 100, project: 'guarded' })).items.length;
    const before = await count();
    const good = githubPush(secret, 'main', sha);
    expect((await deliver('guarded', good.raw, { ...good.headers, 'x-hub-signature-256': '' })).status).toBe(401);
    expect((await deliver('guarded', good.raw, { ...good.headers, 'x-hub-signature-256': `sha256=${hmac('wrong-secret', good.raw)}` })).status).toBe(401);
    expect((await deliver('guarded', good.raw.replace('a change', 'tampered'), good.headers)).status).toBe(401); // body changed after signing
    expect((await deliver('nosuchproject', good.raw, good.headers)).status).toBe(401);
    const gl = await deliver('guarded', good.raw, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'not-the-secret', 'x-gitlab-event-uuid': randomUUID() });
    expect(gl.status).toBe(401);
    expect(await count()).toBe(before);

    expect((await deliver('guarded', good.raw, good.headers)).status).toBe(202);
    const replay = await deliver('guarded', good.raw, good.headers);
    expect(replay.status).toBe(409);
    expect(await count()).toBe(before + 1);
    // A rotated secret: the old one no longer signs.
    const rotated = await api('POST', '/api/projects/guarded/hook-secret');
    expect(rotated.body.hookSecret).not.toBe(secret);
    const stale = githubPush(secret, 'main', sha, 'after rotation');
    expect((await deliver('guarded', stale.raw, stale.headers)).status).toBe(401);
    const fresh = githubPush(rotated.body.hookSecret, 'main', sha, 'after rotation');
    expect((await deliver('guarded', fresh.raw, fresh.headers)).status).toBe(202);
  }, 30_000);

  it('a branch gets a preview URL that follows its newest healthy preview, and stops when the branch is deleted', async () => {
    const { secret } = await gitProject('prev');
    const main = git.push('prev', source('live1'), 'main');
    const m = githubPush(secret, 'main', main);
    expect((await settled(stack, (await deliver('prev', m.raw, m.headers)).body.deploymentId)).status).toBe('running');
    await serving('prev', 'live1');

    const b1 = git.push('prev', source('feat1'), 'feature/Login');
    const p1 = await deliver('prev', githubPush(secret, 'feature/Login', b1).raw, githubPush(secret, 'feature/Login', b1).headers);
    expect(p1.status).toBe(202);
    expect(p1.body).toMatchObject({ action: 'preview' });
    const label = new URL(p1.body.url).hostname.replace('.localhost', '');
    expect(label).toMatch(/^feature-login-[0-9a-f]{6}--prev$/); // the slug changed the name: its hash keeps it apart from feature-login
    expect((await settled(stack, p1.body.deploymentId)).status).toBe('running');
    await serving(label, 'feat1');
    expect((await through('prev')).body).toBe('live1'); // a preview never takes the project URL

    const b2 = git.push('prev', source('feat2'), 'feature/Login');
    const push2 = githubPush(secret, 'feature/Login', b2);
    const p2 = await deliver('prev', push2.raw, push2.headers);
    expect((await settled(stack, p2.body.deploymentId)).status).toBe('running');
    await serving(label, 'feat2');

    // Deleted: GitHub sends a push with deleted:true and an all-zero after.
    const zero = '0'.repeat(40);
    const raw = JSON.stringify({ ref: 'refs/heads/feature/Login', after: zero, deleted: true });
    const del = await deliver('prev', raw, { 'x-github-event': 'push', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': `sha256=${hmac(secret, raw)}` });
    expect(del.body.action).toBe('stopped');
    expect(del.body.stopped).toEqual(expect.arrayContaining([p1.body.deploymentId, p2.body.deploymentId]));
    await waitFor('preview route gone', async () => (await through(label)).status === 404, 10_000);
    expect((await through('prev')).body).toBe('live1');
  }, 90_000);

  it('five quick pushes build at most two; the newest is what serves', async () => {
    const { secret } = await gitProject('burst');
    const ids: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const sha = git.push('burst', source(`b${i}`), 'main');
      const p = githubPush(secret, 'main', sha);
      ids.push((await deliver('burst', p.raw, p.headers)).body.deploymentId);
    }
    const outcomes = [];
    for (const id of ids) outcomes.push(await settled(stack, id, 60_000));
    const built = outcomes.filter((d) => d.status === 'running');
    expect(built.length).toBeLessThanOrEqual(2);
    expect(outcomes.filter((d) => d.errorCode === 'SUPERSEDED').length).toBeGreaterThanOrEqual(3);
    expect(outcomes.at(-1).status).toBe('running');
    await serving('burst', 'b5');
  }, 120_000);
});

/** A local webhook receiver: records deliveries; `answers` says what to answer, in turn (then 200). */
async function receiver(answers: number[] = []) {
  const got: { headers: http.IncomingHttpHeaders; raw: string; at: number }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ headers: req.headers, raw: Buffer.concat(chunks).toString(), at: Date.now() });
      res.statusCode = answers.shift() ?? 200;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return { got, url, close: () => new Promise((r) => server.close(r)) };
}

describe('outgoing webhooks', () => {
  it('deliveries are signed, retried after a 500, recorded and redeliverable', async () => {
    const started = Date.now();
    const rx = await receiver([500]);
    const { secret } = await gitProject('notify');
    const created = await api('POST', '/api/projects/notify/webhooks', { url: rx.url, events: ['deployment.running', 'release.promoted', 'deployment.failed'] });
    expect(created.status).toBe(201);
    expect(created.body.secret).toMatch(/^whsec_/);
    expect(JSON.stringify((await api('GET', '/api/projects/notify/webhooks')).body)).not.toContain(created.body.secret);

    const sha = git.push('notify', source('n1'), 'main');
    const p = githubPush(secret, 'main', sha);
    const d = await deliver('notify', p.raw, p.headers);
    expect((await settled(stack, d.body.deploymentId)).status).toBe('running');

    await waitFor('both events delivered', async () => new Set(rx.got.filter((g) => g.headers['x-berth-event']).map((g) => g.headers['x-berth-event'])).size === 2 && rx.got.length >= 3, 20_000);
    for (const g of rx.got) {
      expect(verifyBerthSignature(created.body.secret, g.headers['x-berth-signature'], g.raw)).toBe(true);
      expect(verifyBerthSignature('whsec_other', g.headers['x-berth-signature'], g.raw)).toBe(false);
      const body = JSON.parse(g.raw);
      expect(body.id).toBe(g.headers['x-berth-delivery']);
      expect(body.data.deployment).toMatchObject({ id: d.body.deploymentId, commitSha: sha, project: 'notify' });
    }
    // The first attempt got a 500; the same delivery came again and was taken.
    const firstId = rx.got[0]!.headers['x-berth-delivery'];
    expect(rx.got.filter((g) => g.headers['x-berth-delivery'] === firstId).length).toBe(2);
    const deliveries = (await api('GET', `/api/projects/notify/webhooks/${created.body.id}/deliveries`)).body.items;
    const retried = deliveries.find((x: any) => x.id === firstId);
    expect(retried).toMatchObject({ status: 'succeeded', attempts: 2, lastStatusCode: 200 });
    // The taken attempt's time in whole milliseconds: a local receiver answering at once, so no longer
    // than this test has run (a duration in other units, or the run's whole age, would be).
    expect(Number.isInteger(retried.durationMs)).toBe(true);
    expect(retried.durationMs).toBeGreaterThanOrEqual(0);
    expect(retried.durationMs).toBeLessThanOrEqual(Date.now() - started);

    const again = await api('POST', `/api/projects/notify/webhooks/${created.body.id}/deliveries/${firstId}/redeliver`);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ redeliveryOf: firstId, status: 'pending' });
    await waitFor('redelivered', async () => rx.got.some((g) => g.headers['x-berth-delivery'] === again.body.id), 10_000);
    expect((await api('POST', `/api/projects/notify/webhooks/${created.body.id}/deliveries/whd_nope/redeliver`)).status).toBe(404);
    await rx.close();
  }, 60_000);

  it('a target that hangs slows neither the deployment nor another webhook', async () => {
    const hang = http.createServer(() => {}); // accepts, never answers
    await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
    const rx = await receiver();
    const { secret } = await gitProject('slowhook');
    await api('POST', '/api/projects/slowhook/webhooks', { url: `http://127.0.0.1:${(hang.address() as AddressInfo).port}/`, events: ['deployment.running'] });
    await api('POST', '/api/projects/slowhook/webhooks', { url: rx.url, events: ['deployment.running'] });
    const sha = git.push('slowhook', source('s1'), 'main');
    const p = githubPush(secret, 'main', sha);
    const d = await deliver('slowhook', p.raw, p.headers);
    const live = await settled(stack, d.body.deploymentId);
    expect(live.status).toBe('running');
    await waitFor('the other webhook delivered', async () => rx.got.length > 0, 5000); // well inside the hanging one's 1.5 s timeouts and retries
    hang.closeAllConnections();
    hang.close();
    await rx.close();
  }, 60_000);

  it('refuses webhook targets on loopback, link-local and private addresses unless the operator allows them', async () => {
    const app = await buildApp({
      ...stack.apiDeps(),
      config: { ...stack.apiConfig, WEBHOOK_ALLOW_PRIVATE_HOSTS: false },
      logger: createLogger('test', 'silent'),
    });
    await api('POST', '/api/projects', { name: 'ssrf-hooks' });
    for (const url of ['http://127.0.0.1:6379/', 'http://localhost:3000/', 'http://169.254.169.254/latest/meta-data', 'http://10.0.0.8/', 'http://[::1]/', 'http://192.168.1.1/']) {
      const res = await app.inject({ method: 'POST', url: '/api/projects/ssrf-hooks/webhooks', headers: authHeaders, payload: { url, events: ['deployment.running'] } });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.message).toMatch(/local or private/);
    }
    for (const url of ['ftp://example.com/', 'http://user:pw@example.com/', 'not a url']) {
      const res = await app.inject({ method: 'POST', url: '/api/projects/ssrf-hooks/webhooks', headers: authHeaders, payload: { url, events: ['deployment.running'] } });
      expect(res.statusCode, url).toBe(400);
    }
    const badEvent = await app.inject({ method: 'POST', url: '/api/projects/ssrf-hooks/webhooks', headers: authHeaders, payload: { url: 'https://example.com/', events: ['nope'] } });
    expect(badEvent.statusCode).toBe(400);
    await app.close();
    // At delivery time too (a name that resolved to a public address may not later).
    await expect(resolveWebhookTarget('http://rebound.example/', { allowPrivate: false, lookup: async () => [{ address: '127.0.0.1', family: 4 }] })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});
