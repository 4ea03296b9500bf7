import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { resolveWebhookTarget } from '@berth/shared/webhook-target';
import { buildApp } from '@berth/api/app';
import { verifyBerthSignature } from '../../../docs/examples/verify-berth-signature.mjs';
import { settled } from '@berth/testing/deployments';
import { waitFor } from '@berth/testing/ports';
import { startWebhookReceiver as receiver } from '@berth/testing/webhook-receiver';
import { authHeaders } from '@berth/testing/stack';
import { api, deliver, git, gitProject, githubPush, source, stack, useGitHookStack } from './git-hooks-setup.ts';

// Outgoing webhooks: signed deliveries to a local receiver, retries, redelivery, slow and forbidden targets.
useGitHookStack();

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
