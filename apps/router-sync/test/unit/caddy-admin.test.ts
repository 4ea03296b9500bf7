import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { HttpCaddyAdmin } from '../../src/caddy-admin.ts';

let server: http.Server | undefined;

/** A stand-in admin API that cuts the first `cuts` connections under their request, then answers `status`. */
async function adminThatCuts(cuts: number, status = 200): Promise<{ url: string; seen: () => number }> {
  let seen = 0;
  server = http.createServer((req, res) => {
    seen++;
    if (seen <= cuts) return req.socket.destroy();
    res.writeHead(status, { 'content-type': 'application/json' }).end(req.method === 'GET' ? '{"apps":{}}' : '');
  });
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen: () => seen };
}

afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

describe('HttpCaddyAdmin', () => {
  it('makes a load cut by a connection reset once more (Caddy replacing its admin server), and it lands', async () => {
    const admin = await adminThatCuts(1);
    await new HttpCaddyAdmin(admin.url).load({ apps: {} });
    expect(admin.seen()).toBe(2);
  });

  it('reads the config once more after a reset', async () => {
    const admin = await adminThatCuts(1);
    expect(await new HttpCaddyAdmin(admin.url).current()).toEqual({ apps: {} });
    expect(admin.seen()).toBe(2);
  });

  it('gives up after a second reset, with the connection error', async () => {
    const admin = await adminThatCuts(5);
    await expect(new HttpCaddyAdmin(admin.url).load({ apps: {} })).rejects.toMatchObject({ code: 'ECONNRESET' });
    expect(admin.seen()).toBe(2);
  });

  it('does not repeat a load Caddy refused: the answer is the error', async () => {
    const admin = await adminThatCuts(0, 400);
    await expect(new HttpCaddyAdmin(admin.url).load({ apps: {} })).rejects.toThrow(/answered 400/);
    expect(admin.seen()).toBe(1);
  });
});
