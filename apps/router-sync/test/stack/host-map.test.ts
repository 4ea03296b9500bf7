import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCaddyAdmin } from '../../src/caddy-admin.ts';
import { buildCaddyConfig } from '../../src/caddy-config.ts';
import { canonicalJson } from '../../src/router-sync.ts';
import { startCaddy, type TestCaddy } from '@berth/testing/caddy';

// The host map in the installed Caddy (2.6): each app host reaches its own
// upstream through the one proxy, the API host and unknown hosts are as before.
let caddy: TestCaddy;
const servers: http.Server[] = [];
const upstream: Record<string, string> = {};
beforeAll(async () => {
  caddy = await startCaddy();
  for (const name of ['api', 'one', 'two']) {
    const s = http.createServer((_q, r) => r.end(`hello from ${name}`));
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    servers.push(s);
    upstream[name] = `127.0.0.1:${(s.address() as AddressInfo).port}`;
  }
});
afterAll(async () => {
  await caddy?.stop();
  servers.forEach((s) => s.close());
});

function ask(host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.get(`http://127.0.0.1:${caddy.httpPort}/some/path`, { headers: { host }, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    // Which host, should a connection ever fail (it failed once in CI with a bare ECONNRESET).
    req.on('error', (err) => reject(new Error(`asking for ${host}: ${err.message}`, { cause: err })));
  });
}

describe('app hosts as one map', () => {
  it('sends each host to its own upstream and everything else to the API or the 404 page', async () => {
    const config = buildCaddyConfig(
      {
        apps: [
          { deploymentId: 'aaaa11112222', project: 'shop', upstream: upstream.one! },
          { deploymentId: 'bbbb33334444', project: 'shop', upstream: upstream.two! },
        ],
        current: new Map([['shop', 'aaaa11112222']]),
        previews: new Map([['feature-x--shop', 'bbbb33334444']]),
      },
      {
        adminListen: caddy.adminListen,
        httpListen: `127.0.0.1:${caddy.httpPort}`,
        baseDomain: 'berth.localhost',
        apiUpstream: upstream.api!,
        httpsListen: `127.0.0.1:${caddy.httpsPort}`,
        tlsIssuer: { module: 'internal' },
        appUpstreams: { dialTimeoutMs: 1000, responseHeaderTimeoutMs: 60_000, failDurationMs: 5000 },
      },
    );
    const admin = new HttpCaddyAdmin(caddy.adminUrl);
    await admin.load(config);
    // Read back unchanged, or router-sync would reload on every resync.
    expect(canonicalJson(await admin.current())).toBe(canonicalJson(config));

    expect(await ask('aaaa11112222.berth.localhost')).toEqual({ status: 200, body: 'hello from one' });
    expect(await ask('bbbb33334444.berth.localhost')).toEqual({ status: 200, body: 'hello from two' });
    expect(await ask('shop.berth.localhost')).toEqual({ status: 200, body: 'hello from one' });
    expect(await ask('feature-x--shop.berth.localhost:8080')).toEqual({ status: 200, body: 'hello from two' });
    expect(await ask('berth.localhost')).toEqual({ status: 200, body: 'hello from api' });
    // A Host that names the placeholder is refused before any route (Go's server: 400), never looked up.
    expect((await ask('{berth.upstream}')).status).toBe(400);
    for (const host of ['nope.berth.localhost', 'berth.localhost.evil.example', 'SHOP.berth.localhost']) {
      const res = await ask(host);
      expect(res.status, host).toBe(404);
      expect(res.body).toContain('no deployment answers at this address');
    }
  });
});
