import https from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zipTestApp } from '@berth/testing/archives';
import { createDeployment, settled } from '@berth/testing/deployments';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { instanceContainers, startStack, type Stack } from '@berth/testing/stack';

// Custom domains end to end: api + worker + router-sync + a private Caddy serving HTTPS
// with certificates from its local CA, obtained on demand after asking the API.
let stack: Stack;
let project: string;
beforeAll(async () => {
  // DOMAIN_VERIFICATION=off: names are served once added; the DNS proof before that has its own test (security/domain-ownership).
  stack = await startStack({ env: { DOMAIN_VERIFICATION: 'off' } });
  const created = await createDeployment(stack, { archive: await zipTestApp('hello'), fields: { name: 'domapp' } });
  project = created.project;
  expect(project).toBe('domapp');
  expect((await settled(stack, created.id, 90_000)).status).toBe('running');
  await waitFor('the project URL', async () => (await request(`${stack.caddyUrl}/`, { host: 'domapp.localhost' })).status === 200, 15_000);
});
afterAll(async () => {
  await stack?.close();
  if (stack) expect(await instanceContainers(stack.instance)).toEqual([]);
});

const httpsPort = () => stack.caddy!.httpsPort;

/** Caddy's local root certificate, from its admin API (exists once a config uses the internal issuer). */
async function localRoot(): Promise<string> {
  return waitFor('caddy local CA', async () => {
    const res = await fetch(`${stack.caddy!.adminUrl}/pki/ca/local`);
    return res.ok ? ((await res.json()) as { root_certificate: string }).root_certificate : undefined;
  }, 15_000);
}

/** An HTTPS request to Caddy's HTTPS port for `hostname` (SNI and Host), trusting only `ca`; no session reuse. */
function httpsGet(hostname: string, path: string, ca: string): Promise<{ status: number; body: string; issuer: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request(
      { host: '127.0.0.1', port: httpsPort(), servername: hostname, headers: { host: hostname }, path, ca, agent: false, timeout: 10_000 },
      (res) => {
        const chunks: Buffer[] = [];
        const issuer = String((res.socket as import('node:tls').TLSSocket).getPeerCertificate().issuer?.CN ?? '');
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString(), issuer }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

const addDomain = (hostname: string) =>
  stack.inject({ method: 'POST', url: `/api/projects/${project}/domains`, payload: { hostname } });

describe('custom domains end to end', () => {
  let ca: string;

  it('serves a registered hostname over HTTPS with a certificate from Caddy’s local CA', async () => {
    const added = await addDomain('app.example.test');
    expect(added.statusCode).toBe(201);
    expect(added.json()).toMatchObject({ hostname: 'app.example.test', project, url: `https://app.example.test:${httpsPort()}` });
    ca = await localRoot();

    const res = await waitFor('the app over HTTPS', async () => {
      const r = await httpsGet('app.example.test', '/ping?x=1', ca);
      return r.status === 200 ? r : undefined;
    }, 20_000);
    expect(JSON.parse(res.body)).toEqual({ hello: 'berth', greeting: null, path: '/ping?x=1' });
    expect(res.issuer).toMatch(/Caddy Local Authority/);
    // Listed by the API as served.
    const listed = (await stack.inject({ method: 'GET', url: `/api/projects/${project}/domains` })).json();
    expect(listed.items.map((d: any) => d.hostname)).toEqual(['app.example.test']);
  });

  it('gives an unregistered hostname no certificate: the TLS handshake fails', async () => {
    await expect(httpsGet('other.example.test', '/', ca)).rejects.toThrow(/alert|handshake|socket hang up|ECONNRESET/i);
    // Nor does a name under the base domain get one over HTTPS.
    await expect(httpsGet('domapp.localhost', '/', ca)).rejects.toThrow(/alert|handshake|socket hang up|ECONNRESET/i);
    // And Caddy asked the API, which said no: it never got a certificate for it.
    expect((await stack.api.inject({ method: 'GET', url: '/api/tls/allowed?domain=other.example.test' })).statusCode).toBe(404);
    expect((await stack.api.inject({ method: 'GET', url: '/api/tls/allowed?domain=app.example.test' })).statusCode).toBe(200);
  });

  it('redirects HTTP on the custom host to HTTPS (308), keeping path and query', async () => {
    const res = await request(`${stack.caddyUrl}/some/path?a=1&b=two`, { host: 'app.example.test' });
    expect(res.status).toBe(308);
    expect(res.headers.location).toBe(`https://app.example.test:${httpsPort()}/some/path?a=1&b=two`);
    // The platform's own hosts stay plain HTTP, exactly as before.
    expect((await request(`${stack.caddyUrl}/`, { host: 'domapp.localhost' })).status).toBe(200);
    expect((await request(`${stack.caddyUrl}/healthz`, { host: 'localhost' })).status).toBe(200);
  });

  it('does not reload Caddy on every resync once domains are configured (the live config compares equal)', async () => {
    await stack.router!.runNow();
    const before = stack.router!.loads;
    await new Promise((r) => setTimeout(r, 2500)); // two resyncs at 1 s in tests
    expect(stack.router!.loads).toBe(before);
  });

  it('stops serving a hostname once it is removed', async () => {
    // A second name keeps Caddy's HTTPS listener up (it listens only while there are custom domains),
    // so the removed name's failure below comes from a live Caddy refusing it, not a closed port.
    expect((await addDomain('keep.example.test')).statusCode).toBe(201);
    const servedOverHttps = (hostname: string) =>
      waitFor(`${hostname} over HTTPS`, async () => (await httpsGet(hostname, '/', ca).catch(() => undefined))?.status === 200, 20_000);
    await servedOverHttps('keep.example.test');

    const removed = await stack.inject({ method: 'DELETE', url: `/api/projects/${project}/domains/app.example.test` });
    expect(removed.statusCode).toBe(200);
    expect(removed.json()).toMatchObject({ hostname: 'app.example.test', project });
    const refused = await waitFor('the HTTPS handshake to fail', async () => {
      try {
        await httpsGet('app.example.test', '/', ca);
        return undefined;
      } catch (err) {
        return err as Error;
      }
    }, 15_000);
    // No certificate for the name any more (as for a name never registered): a TLS failure, not a refused connection.
    expect(refused.message).toMatch(/alert|handshake|socket hang up|ECONNRESET/i);
    expect(refused.message).not.toMatch(/ECONNREFUSED/);
    // The same Caddy still serves the other name over HTTPS, and answers the removed one over HTTP with its 404.
    expect((await httpsGet('keep.example.test', '/', ca)).status).toBe(200);
    // Caddy keeps a host's answer from the route resolver for its refresh (100 ms): the 404 page follows the next lookup.
    await waitFor('the removed name to get the 404 page over HTTP', async () => (await request(`${stack.caddyUrl}/`, { host: 'app.example.test' })).status === 404, 2_000);

    // The last name removed: the HTTPS listener goes, the platform's own hosts stay.
    expect((await stack.inject({ method: 'DELETE', url: `/api/projects/${project}/domains/keep.example.test` })).statusCode).toBe(200);
    await waitFor('the HTTPS server gone from Caddy', async () => {
      const servers = (await (await fetch(`${stack.caddy!.adminUrl}/config/apps/http/servers`)).json()) as Record<string, unknown>;
      return !('berth-https' in servers);
    }, 15_000);
    expect((await request(`${stack.caddyUrl}/`, { host: 'domapp.localhost' })).status).toBe(200);
    expect((await stack.inject({ method: 'GET', url: `/api/projects/${project}/domains` })).json()).toEqual({ items: [] });
  });

  it('answers the validation failures through the real stack (400, 404, 409)', async () => {
    expect((await addDomain('app.localhost')).statusCode).toBe(400);
    expect((await stack.inject({ method: 'POST', url: '/api/projects/missing/domains', payload: { hostname: 'm.example.test' } })).statusCode).toBe(404);
    expect((await addDomain('twice.example.test')).statusCode).toBe(201);
    expect((await addDomain('twice.example.test')).statusCode).toBe(409);
  });
});
