import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpCaddyAdmin } from '../../src/caddy-admin.ts';
import { canonicalJson } from '../../src/router-sync.ts';
import { startCaddy, type TestCaddy } from '@berth/testing/caddy';
import { freePort } from '@berth/testing/ports';

// The golden configs are what router-sync loads: the installed Caddy (2.6) must accept them as
// they are (ACME included: on demand, nothing is asked of the CA at load) and give them back
// unchanged, or router-sync would reload on every resync.
// The golden files of the unit tier's caddy-config test: Caddy itself must accept each one.
const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), '../unit/golden');

let caddy: TestCaddy;
beforeAll(async () => {
  caddy = await startCaddy();
});
afterAll(async () => {
  await caddy?.stop();
});

// Every golden config but swarm's (below: its ask listener needs a port of its own), found in the folder.
const cases = readdirSync(golden)
  .filter((f) => f.endsWith('.caddy.json') && f !== 'swarm.caddy.json')
  .map((f) => f.slice(0, -'.caddy.json'.length))
  .sort();

/** A TCP listener on a free loopback port (its connections are left to Caddy's next load to close). */
async function listening(): Promise<{ address: string; close: () => void }> {
  const server = net.createServer((socket) => socket.on('error', () => {}).resume());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

describe('the installed Caddy accepts the golden configs', () => {
  it('has the custom-domain and preview cases to load', () => {
    expect(cases).toEqual(expect.arrayContaining(['domains', 'domains-acme', 'previews', 'previews-domains', 'two-apps']));
  });

  for (const name of cases) {
    it(`loads ${name}.caddy.json and reads it back unchanged`, async () => {
      const config = JSON.parse(readFileSync(path.join(golden, `${name}.caddy.json`), 'utf8'));
      config.admin.listen = caddy.adminListen;
      config.apps.http.servers.berth.listen = [`127.0.0.1:${caddy.httpPort}`];
      // The HTTPS server exists only where there are custom domains.
      const https = config.apps.http.servers['berth-https'];
      if (https) https.listen = [`127.0.0.1:${caddy.httpsPort}`];
      // The access log's writer dials its receiver at load: one must listen.
      const receiver = config.logging && (await listening());
      if (receiver) config.logging.logs['berth-access'].writer.address = receiver.address;
      const admin = new HttpCaddyAdmin(caddy.adminUrl);
      try {
        await admin.load(config);
        expect(canonicalJson(await admin.current())).toBe(canonicalJson(config));
      } finally {
        receiver?.close();
      }
    });
  }

  it('loads swarm.caddy.json (A-lookup upstreams, the API on a unix socket, the ask listener) and reads it back unchanged', async () => {
    const config = JSON.parse(readFileSync(path.join(golden, 'swarm.caddy.json'), 'utf8'));
    config.admin.listen = caddy.adminListen;
    config.apps.http.servers.berth.listen = [`127.0.0.1:${caddy.httpPort}`];
    config.apps.http.servers['berth-https'].listen = [`127.0.0.1:${caddy.httpsPort}`];
    const askPort = await freePort();
    config.apps.http.servers['berth-ask'].listen = [`127.0.0.1:${askPort}`];
    config.apps.tls.automation.on_demand.ask = `http://127.0.0.1:${askPort}/api/tls/allowed`;
    const admin = new HttpCaddyAdmin(caddy.adminUrl);
    await admin.load(config);
    expect(canonicalJson(await admin.current())).toBe(canonicalJson(config));
    // The ask listener passes on nothing but the ask path.
    const other = await fetch(`http://127.0.0.1:${askPort}/api/deployments`);
    expect(other.status).toBe(404);
  });

  it('refuses the on_demand.permission module of later Caddy versions (why the config uses `ask`)', async () => {
    const config = JSON.parse(readFileSync(path.join(golden, 'domains.caddy.json'), 'utf8'));
    config.admin.listen = caddy.adminListen;
    config.apps.http.servers.berth.listen = [`127.0.0.1:${caddy.httpPort}`];
    config.apps.http.servers['berth-https'].listen = [`127.0.0.1:${caddy.httpsPort}`];
    config.apps.tls.automation.on_demand = { permission: { module: 'http', endpoint: 'http://127.0.0.1:1/api/tls/allowed' } };
    await expect(new HttpCaddyAdmin(caddy.adminUrl).load(config)).rejects.toThrow(/permission/);
  });
});
