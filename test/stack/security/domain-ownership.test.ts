import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDnsServer, type TestDnsServer } from '@berth/testing/dns-server';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { startStack, type Stack } from '@berth/testing/stack';

// Issue 24, door 10 (second half): a project admin could add any name as a custom domain, and Caddy's
// on-demand TLS ask said yes for it, so Berth got certificates for names it does not control. Now a
// name is pending (not routed, no certificate) until a TXT record `_berth-challenge.<name>` holds its
// token, looked up on a DNS server of the test's own (DOMAIN_VERIFY_DNS_SERVERS).
let stack: Stack;
let dns: TestDnsServer;
const timeoutMs = 1000;
beforeAll(async () => {
  dns = await startDnsServer();
  stack = await startStack({ workers: 0, env: { DOMAIN_VERIFY_DNS_SERVERS: dns.address, DOMAIN_VERIFY_TIMEOUT_MS: String(timeoutMs) } });
  for (const name of ['owner', 'squatter', 'late']) {
    expect((await stack.inject({ method: 'POST', url: '/api/projects', payload: { name } })).statusCode).toBe(201);
  }
});
afterAll(async () => {
  await stack?.close();
  await dns?.close();
});

const add = (project: string, hostname: string) => stack.inject({ method: 'POST', url: `/api/projects/${project}/domains`, payload: { hostname } });
const verify = (project: string, hostname: string) => stack.inject({ method: 'POST', url: `/api/projects/${project}/domains/${hostname}/verify` });
const remove = (project: string, hostname: string) => stack.inject({ method: 'DELETE', url: `/api/projects/${project}/domains/${hostname}` });
const ask = async (hostname: string) => (await stack.api.inject({ method: 'GET', url: `/api/tls/allowed?domain=${hostname}` })).statusCode;
/** What Caddy answers for the name on plain HTTP: 308 to HTTPS once it is routed, the 404 page before. */
const httpStatus = async (hostname: string) => (await request(`${stack.caddyUrl}/`, { host: hostname })).status;

function expectError(res: { statusCode: number; json(): any }, status: number, code: string, message: RegExp) {
  expect(res.statusCode).toBe(status);
  expect(res.json()).toEqual({ error: { code, message: expect.stringMatching(message) } });
}

describe('proof of ownership before a custom domain is served', () => {
  it('keeps a new name pending (no certificate, no route) until its TXT record holds its token', async () => {
    const added = await add('owner', 'mine.example.test');
    expect(added.statusCode).toBe(201);
    const token = added.json().verification?.value as string;
    expect(added.json()).toMatchObject({ hostname: 'mine.example.test', status: 'pending', verifiedAt: null });
    expect(added.json().verification).toEqual({ type: 'TXT', name: '_berth-challenge.mine.example.test', value: expect.stringMatching(/^[0-9a-f]{32}$/) });
    expect((await stack.inject({ method: 'GET', url: '/api/projects/owner/domains' })).json().items[0].verification.value).toBe(token);

    // The attack: ask for a certificate, and for the route, before any proof.
    expect(await ask('mine.example.test')).toBe(404);
    await stack.router!.runNow();
    expect(await httpStatus('mine.example.test')).toBe(404);

    expectError(await verify('owner', 'mine.example.test'), 409, 'DOMAIN_RECORD_MISSING', /_berth-challenge\.mine\.example\.test/);
    dns.setTxt('_berth-challenge.mine.example.test', 'a-guess', 'google-site-verification=abc');
    expectError(await verify('owner', 'mine.example.test'), 409, 'DOMAIN_RECORD_MISMATCH', /none of them this domain's token/);
    expect(await ask('mine.example.test')).toBe(404);
    expect(dns.asked).toContain('_berth-challenge.mine.example.test');

    // The record's other values do not matter.
    dns.setTxt('_berth-challenge.mine.example.test', 'unrelated', token);
    const verified = await verify('owner', 'mine.example.test');
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ status: 'verified', verifiedAt: expect.stringMatching(/^\d{4}-/) });
    expect(verified.json().verification).toBeUndefined();
    expect(await ask('mine.example.test')).toBe(200);
    await waitFor('the verified name routed', async () => (await httpStatus('mine.example.test')) === 308, 15_000);
    // Asking again changes nothing, even once the record is gone.
    dns.remove('_berth-challenge.mine.example.test');
    expect((await verify('owner', 'mine.example.test')).json().status).toBe('verified');
  });

  it('answers a DNS server that does not answer with 409 DOMAIN_DNS_FAILED within DOMAIN_VERIFY_TIMEOUT_MS', async () => {
    expect((await add('owner', 'slow.example.test')).statusCode).toBe(201);
    dns.silence('_berth-challenge.slow.example.test');
    const started = Date.now();
    expectError(await verify('owner', 'slow.example.test'), 409, 'DOMAIN_DNS_FAILED', /did not answer within 1000 ms/);
    expect(Date.now() - started).toBeLessThan(timeoutMs * 4);
    expect(await ask('slow.example.test')).toBe(404);
    expectError(await verify('owner', 'never-added.example.test'), 404, 'NOT_FOUND', /not registered for project owner/);
  });

  it('lets no pending name squat another project’s, and no second project take a verified one', async () => {
    // A squatter asks first: the real owner can still add the name and prove it.
    const squat = await add('squatter', 'shop.example.test');
    expect(squat.statusCode).toBe(201);
    const owned = await add('owner', 'shop.example.test');
    expect(owned.statusCode).toBe(201);
    expect(owned.json().verification.value).not.toBe(squat.json().verification.value);
    // Even a record that holds both tokens proves it for one project only.
    dns.setTxt('_berth-challenge.shop.example.test', owned.json().verification.value, squat.json().verification.value);
    expect((await verify('owner', 'shop.example.test')).statusCode).toBe(200);
    expectError(await verify('squatter', 'shop.example.test'), 409, 'CONFLICT', /another project/);
    expectError(await add('late', 'shop.example.test'), 409, 'CONFLICT', /another project/);
    expect(await ask('shop.example.test')).toBe(200);

    // Removed by its owner: nobody is served the name until someone proves it again.
    expect((await remove('owner', 'shop.example.test')).statusCode).toBe(200);
    expect(await ask('shop.example.test')).toBe(404);
    expect((await verify('squatter', 'shop.example.test')).json().status).toBe('verified');
    expect(await ask('shop.example.test')).toBe(200);
  });
});
