import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { previewLabel } from '@berth/shared/branch-slug';
import { isLocalAddress } from '@berth/shared/git-url';
import { callApi } from '@berth/testing/deployments';
import { startStack, type Stack } from '@berth/testing/stack';

let stack: Stack;
beforeAll(async () => {
  // No workers: nothing is sent; this is about what the API lets one deploy token write.
  stack = await startStack({ workers: 0, env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: 'false' } });
});
afterAll(async () => {
  await stack?.close();
});
const api = (method: string, url: string, payload?: unknown) => callApi(stack, method, url, payload);

describe('outgoing webhooks: bounds', () => {
  it('a project cannot accumulate an unbounded number of webhooks (each one is a row written in every deployment transition)', async () => {
    expect((await api('POST', '/api/projects', { name: 'many-hooks' })).status).toBe(201);
    const statuses: number[] = [];
    // 203.0.113.0/24 is public as far as the SSRF check goes; a blackhole there holds a sender slot for the whole timeout.
    for (let i = 0; i < 150; i++) statuses.push((await api('POST', '/api/projects/many-hooks/webhooks', { url: `http://203.0.113.1/${i}`, events: ['deployment.running'] })).status);
    expect(statuses.filter((s) => s === 201).length).toBeLessThan(150);
  }, 60_000);

  it('redelivery is bounded: one delivery cannot be turned into thousands of queued deliveries', async () => {
    expect((await api('POST', '/api/projects', { name: 'redeliver-flood' })).status).toBe(201);
    const hook = await api('POST', '/api/projects/redeliver-flood/webhooks', { url: 'http://203.0.113.1/', events: ['deployment.running'] });
    expect(hook.status).toBe(201);
    await stack.db.db
      .insertInto('webhook_deliveries')
      .values({ id: 'whd_seedseedseedseed01', webhook_id: hook.body.id, event: 'deployment.running', payload: JSON.stringify({ id: 'whd_seedseedseedseed01' }), redelivery_of: null, last_status_code: null, last_error: null, duration_ms: null })
      .execute();
    const statuses: number[] = [];
    for (let i = 0; i < 300; i++) {
      statuses.push((await api('POST', `/api/projects/redeliver-flood/webhooks/${hook.body.id}/deliveries/whd_seedseedseedseed01/redeliver`)).status);
    }
    const rows = await stack.db.db.selectFrom('webhook_deliveries').select((eb) => eb.fn.countAll<string>().as('n')).where('webhook_id', '=', hook.body.id).executeTakeFirstOrThrow();
    // One redelivery at a time: the rest are refused (409) while it is under way.
    expect(statuses.filter((s) => s === 202).length, `statuses: ${[...new Set(statuses)]}`).toBe(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(299);
    expect(Number(rows.n)).toBe(2);
  }, 60_000);
});

describe('preview labels', () => {
  it('two different branches of one project never share a preview host', () => {
    // Routing keeps one deployment per label (a Map): the branch later in sort order takes the other's URL.
    expect(previewLabel('feature/Login', 'app')).not.toBe(previewLabel('feature-login', 'app'));
    // Dependabot/renovate-style long names are cut to the same slug.
    const a = 'dependabot/npm_and_yarn/some-package-name-4.17.21';
    const b = 'dependabot/npm_and_yarn/some-package-name-4.17.22';
    expect(previewLabel(a, 'project-name-of-twenty')).not.toBe(previewLabel(b, 'project-name-of-twenty'));
    // Issue 24, door 12: a branch literally named like another's changed slug (`feature-login-<hash>`) took its host.
    const changed = previewLabel('Feature-Login', 'app');
    expect(previewLabel(changed.replace(/--app$/, ''), 'app')).not.toBe(changed);
  });
});

describe('SSRF address classes (defence in depth)', () => {
  it('refuses IPv6 spellings that carry an IPv4 address (NAT64, 6to4, IPv4-compatible) and documentation/benchmark ranges', () => {
    for (const a of ['64:ff9b::7f00:1', '64:ff9b::a9fe:a9fe', '2002:7f00:1::', '::7f00:1', '64:ff9b:1::a00:1']) {
      expect(isLocalAddress(a), a).toBe(true);
    }
  });
});
