import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proberMain } from '../../src/docker/prober-server.ts';

// The prober's program in this process, on loopback. Its interfaces are a stand-in (the `node:os` it is given):
// eth0 (127.0.0.1) plays the default bridge it listens on, eth1 (127.0.0.5 in 127.0.0.0/8) an app network it is
// attached to; the test attaches and detaches eth1 as the worker connects and disconnects the container.
const token = 'a'.repeat(16) + 'b'.repeat(32);
let prober: http.Server;
let proberUrl: string;
let target: http.Server;
let targetPort: number;
const bodies = new Map<string, (res: http.ServerResponse) => void>([
  ['/ok', (res) => res.end('the secret body')],
  ['/500', (res) => ((res.statusCode = 500), res.end())],
  ['/404', (res) => ((res.statusCode = 404), res.end())],
  ['/redirect', (res) => (res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }), res.end())],
  ['/hang', () => {}],
]);
const seen: string[] = [];
const appNetwork = { address: '127.0.0.5', netmask: '255.0.0.0', family: 'IPv4', mac: '02:42:0a:00:00:05', internal: false, cidr: '127.0.0.5/8' };
const interfaces: Record<string, object[]> = {
  lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
  eth0: [{ address: '127.0.0.1', netmask: '255.255.255.255', family: 'IPv4', mac: '02:42:ac:11:00:02', internal: false, cidr: '127.0.0.1/32' }],
  eth1: [appNetwork],
};
const realRequire = createRequire(import.meta.url);
/** `require` as the container gives it, with the stand-in interfaces. */
const proberRequire = (id: string) => (id === 'node:os' ? { networkInterfaces: () => ({ ...interfaces }) } : realRequire(id));

beforeAll(async () => {
  target = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    (bodies.get(req.url ?? '') ?? ((r: http.ServerResponse) => r.end('x')))(res);
  });
  await new Promise<void>((r) => target.listen(0, '127.0.0.3', r));
  targetPort = (target.address() as AddressInfo).port;
  prober = proberMain(proberRequire, {
    BERTH_PROBE_TOKEN: token,
    BERTH_PROBE_DENY: '127.0.0.2',
    BERTH_PROBE_PORT: '0',
  });
  await new Promise<void>((r) => (prober.listening ? r() : prober.once('listening', () => r())));
  proberUrl = `http://127.0.0.1:${(prober.address() as AddressInfo).port}`;
});

afterAll(async () => {
  prober.closeAllConnections();
  target.closeAllConnections();
  await new Promise((r) => prober.close(r));
  await new Promise((r) => target.close(r));
});

async function ask(query: Record<string, string>, headers: Record<string, string> = { 'x-berth-probe-token': token }, method = 'GET') {
  const res = await fetch(`${proberUrl}/probe?${new URLSearchParams(query)}`, { headers, method });
  return { status: res.status, body: await res.text() };
}
const at = (path: string, address = '127.0.0.3', port = String(targetPort)) => ({ address, port, path });

describe('the swarm prober program', () => {
  it('answers up for a status below 500, down for 500, and never passes the body on', async () => {
    expect(await ask(at('/ok'))).toEqual({ status: 200, body: JSON.stringify({ up: true, status: 200 }) });
    expect(JSON.parse((await ask(at('/404'))).body)).toEqual({ up: true, status: 404 });
    expect(JSON.parse((await ask(at('/500'))).body)).toEqual({ up: false, status: 500 });
  });

  it('does not follow a redirect (a 302 is an answer, the location is never dialled)', async () => {
    const r = await ask(at('/redirect'));
    expect(JSON.parse(r.body)).toEqual({ up: true, status: 302 });
    expect(r.body).not.toContain('169.254');
  });

  it('reports down for a closed port and for an app that never answers', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.3', r));
    const port = String((closed.address() as AddressInfo).port);
    await new Promise((r) => closed.close(r));
    expect(JSON.parse((await ask(at('/', '127.0.0.3', port))).body)).toEqual({ up: false });
    expect(JSON.parse((await ask(at('/hang'))).body)).toEqual({ up: false });
  });

  it('refuses a request without the token, with a wrong one, or a token of the wrong length', async () => {
    const before = seen.length;
    for (const headers of [{}, { 'x-berth-probe-token': token.replace(/b$/, 'c') }, { 'x-berth-probe-token': token.slice(1) }, { authorization: `Bearer ${token}` }] as Record<string, string>[]) {
      expect(await ask(at('/ok'), headers)).toMatchObject({ status: 403 });
    }
    expect(seen.length).toBe(before); // nothing was dialled
  });

  it('refuses targets outside the attached subnet, its deny list, its network, gateway and broadcast addresses, its own, and names', async () => {
    const before = seen.length;
    const refused = ['169.254.169.254', '10.0.0.1', '172.17.0.1', '127.0.0.2', '127.0.0.0', '127.0.0.1', '127.0.0.5', '127.255.255.255'];
    for (const address of [...refused, 'localhost', '::1', '0x7f000001', '2130706433', '127.1', '']) {
      expect(await ask(at('/ok', address)), address).toMatchObject({ status: 403 });
    }
    expect(seen.length).toBe(before);
  });

  it('follows its attachments: a detached network is no target any more, the interface it listens on never is one', async () => {
    delete interfaces.eth1;
    try {
      const before = seen.length;
      expect(await ask(at('/ok'))).toEqual({ status: 403, body: JSON.stringify({ error: 'address outside the app network' }) });
      expect(seen.length).toBe(before);
    } finally {
      interfaces.eth1 = [appNetwork];
    }
    expect(JSON.parse((await ask(at('/ok'))).body)).toEqual({ up: true, status: 200 });
    // The same subnet on the listening interface (the default bridge) opens nothing.
    interfaces.eth1 = [{ ...appNetwork, address: '127.0.0.9', cidr: '127.0.0.9/8' }];
    const bridgeOnly = proberMain(proberRequire, { BERTH_PROBE_TOKEN: token, BERTH_PROBE_LISTEN: '127.0.0.9', BERTH_PROBE_PORT: '0' });
    try {
      await new Promise<void>((r) => (bridgeOnly.listening ? r() : bridgeOnly.once('listening', () => r())));
      const url = `http://127.0.0.9:${(bridgeOnly.address() as AddressInfo).port}/probe?${new URLSearchParams(at('/ok'))}`;
      expect((await fetch(url, { headers: { 'x-berth-probe-token': token } })).status).toBe(403);
    } finally {
      interfaces.eth1 = [appNetwork];
      bridgeOnly.closeAllConnections();
      await new Promise((r) => bridgeOnly.close(r));
    }
  });

  it('refuses bad ports and paths, other methods and other routes', async () => {
    for (const port of ['0', '65536', '3000.5', 'x', '-1']) expect(await ask(at('/ok', '127.0.0.3', port))).toMatchObject({ status: 400 });
    for (const path of ['ok', '@169.254.169.254/', '/a b', '/a\r\nHost: x', '/' + 'a'.repeat(2048)]) {
      expect(await ask(at(path)), path).toMatchObject({ status: 400 });
    }
    expect(await ask(at('/ok'), { 'x-berth-probe-token': token }, 'POST')).toMatchObject({ status: 405 });
    const other = await fetch(`${proberUrl}/`, { headers: { 'x-berth-probe-token': token } });
    expect(other.status).toBe(404);
    await other.body?.cancel();
  });

  it('refuses every request when it was started without a token of at least 16 characters', async () => {
    const weak = proberMain(proberRequire, { BERTH_PROBE_TOKEN: 'short', BERTH_PROBE_LISTEN: '127.0.0.1', BERTH_PROBE_PORT: '0' });
    await new Promise<void>((r) => (weak.listening ? r() : weak.once('listening', () => r())));
    const url = `http://127.0.0.1:${(weak.address() as AddressInfo).port}/probe?${new URLSearchParams(at('/ok'))}`;
    for (const t of ['short', '']) expect((await fetch(url, { headers: { 'x-berth-probe-token': t } })).status).toBe(403);
    weak.closeAllConnections();
    await new Promise((r) => weak.close(r));
  });
});
