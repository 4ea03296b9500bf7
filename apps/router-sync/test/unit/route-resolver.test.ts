import dgram from 'node:dgram';
import { promises as dns } from 'node:dns';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCaddyConfig, routedHosts, type RoutingState } from '../../src/caddy-config.ts';
import { canonicalJson } from '../../src/router-sync.ts';
import { RouteResolver } from '../../src/dns/route-resolver.ts';
import { encodeName } from '../../src/dns/dns-message.ts';

const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const silent = { warn: () => {} } as never;

/** The previews-and-domains golden case as routing state: a release, a preview, a custom domain. */
function goldenState(): { state: RoutingState; settings: any } {
  const input = JSON.parse(readFileSync(path.join(golden, 'resolver.input.json'), 'utf8'));
  const state = {
    apps: input.apps,
    current: new Map(Object.entries(input.current as Record<string, string>)),
    domains: new Map(Object.entries(input.domains as Record<string, string>)),
    previews: new Map(Object.entries(input.previews as Record<string, string>)),
  };
  return { state, settings: input.settings };
}

describe('RouteResolver (a real DNS client asking it)', () => {
  const resolver = new RouteResolver('127.0.0.1:0', silent);
  const client = new dns.Resolver({ timeout: 500, tries: 1 });
  let address = '';

  beforeAll(async () => {
    address = await resolver.start();
    client.setServers([address.replace(/^udp\//, '')]);
    resolver.setHosts(routedHosts(goldenState().state, 'localhost'));
  });
  afterAll(() => resolver.stop());

  it('answers a routed host with its deployment and port (release, deployment, preview, custom domain), and that name with its address', async () => {
    expect(address).toMatch(/^udp\/127\.0\.0\.1:\d+$/);
    for (const host of ['shop.localhost', 'cc3release001.localhost', 'shop.example.com']) {
      expect(await client.resolveSrv(`${host}.up.berth`)).toEqual([{ name: 'cc3release001.dep.berth', port: 3000, priority: 0, weight: 0, type: 'SRV' }]);
    }
    expect(await client.resolveSrv('feature-cart--shop.localhost.up.berth')).toEqual([{ name: 'dd4preview001.dep.berth', port: 3000, priority: 0, weight: 0, type: 'SRV' }]);
    expect(await client.resolve4('cc3release001.dep.berth')).toEqual(['172.18.0.5']);
    expect(await client.resolve4('dd4preview001.dep.berth')).toEqual(['172.18.0.6']);
    // DNS names are case-insensitive: a Host spelled in capitals reaches the same app.
    expect((await client.resolveSrv('SHOP.LocalHost.up.berth'))[0]?.name).toBe('cc3release001.dep.berth');
  });

  it('a moved project URL is answered at once with the new release; a removed app is gone', async () => {
    const { state } = goldenState();
    resolver.setHosts(routedHosts({ ...state, current: new Map([['shop', 'dd4preview001']]) }, 'localhost'));
    expect((await client.resolveSrv('shop.localhost.up.berth'))[0]?.name).toBe('dd4preview001.dep.berth');
    resolver.setHosts(routedHosts({ ...state, apps: state.apps.slice(1) }, 'localhost'));
    await expect(client.resolveSrv('cc3release001.localhost.up.berth')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(client.resolve4('cc3release001.dep.berth')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    resolver.setHosts(routedHosts(state, 'localhost'));
  });

  it('attack: a host that is not routed finds nothing, however it is spelled; no other name, type or kind of name is answered', async () => {
    const unknown = [
      'nope.localhost.up.berth', // random name
      'evil.example.org.up.berth', // names with dots, another domain
      'shop.localhost', // without the suffix: not a question Caddy asks
      'localhost.up.berth', // the API's host is not an app
      'cc3release001.dep.berth.up.berth', // a deployment's address name as a Host
      'shop.localhost.up.berth.up.berth',
      `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.up.berth`, // long
      'google.com',
    ];
    for (const name of unknown) await expect(client.resolveSrv(name), name).rejects.toMatchObject({ code: 'ENOTFOUND' });
    await expect(client.resolve4('google.com')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    // A host name has no address of its own, a deployment name no SRV record: empty answers.
    await expect(client.resolve4('shop.localhost.up.berth')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(client.resolveSrv('cc3release001.dep.berth')).rejects.toMatchObject({ code: 'ENODATA' });
    await expect(client.resolve6('cc3release001.dep.berth')).rejects.toMatchObject({ code: 'ENODATA' });
  });

  it('attack: malformed and oversized packets get no answer and do not stop it', async () => {
    const socket = dgram.createSocket('udp4');
    const [host, port] = address.replace(/^udp\//, '').split(':');
    const answers: Buffer[] = [];
    socket.on('message', (m) => answers.push(m));
    const question = (name: Buffer) => Buffer.concat([Buffer.from([0, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]), name, Buffer.from([0, 33, 0, 1])]);
    const bad = [
      Buffer.alloc(5), // shorter than a header
      question(Buffer.from([0xc0, 0x0c])), // a compression pointer in the question (a loop)
      question(Buffer.from([40, 1, 2])), // a label running past the end
      Buffer.concat([question(encodeName('shop.localhost.up.berth')), Buffer.alloc(600)]), // past 512 bytes
      (() => { const q = question(encodeName('shop.localhost.up.berth')); q[2] = 0x80; return q; })(), // a response, not a query
    ];
    for (const packet of bad) socket.send(packet, Number(port), host);
    await new Promise((r) => setTimeout(r, 100));
    socket.close();
    expect(answers).toEqual([]);
    expect((await client.resolveSrv('shop.localhost.up.berth'))[0]?.port).toBe(3000);
  });
});

describe('the Caddy config with a route resolver', () => {
  it('names no app: a release, a new app, a removed app and a new preview leave it exactly as it was', () => {
    const { state, settings } = goldenState();
    const before = canonicalJson(buildCaddyConfig(state, settings));
    const changed: RoutingState = {
      ...state,
      apps: [...state.apps.slice(1), { deploymentId: 'gg7release002', project: 'shop', upstream: '172.18.0.9:4000' }],
      current: new Map([['shop', 'gg7release002']]),
      previews: new Map([['other--shop', 'gg7release002']]),
    };
    expect(canonicalJson(buildCaddyConfig(changed, settings))).toBe(before);
    // A custom domain is still the config's business (its TLS policy, its HTTPS route).
    expect(canonicalJson(buildCaddyConfig({ ...state, domains: new Map() }, settings))).not.toBe(before);
  });
});
