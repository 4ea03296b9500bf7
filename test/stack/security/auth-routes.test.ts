import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '@berth/testing/ports';
import { startStack, testToken, type Stack } from '@berth/testing/stack';
import { defaultSessionTimes } from '@berth/shared/accounts/session-store';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ workers: 0 });
  // Caddy routes the base domain to the API once router-sync has loaded its config.
  await waitFor('caddy to route to the API', async () => (await raw(stack.caddyUrl, 'GET', '/healthz')).status === 200, 15_000);
});
afterAll(async () => {
  await stack?.close();
});

/**
 * A request written byte for byte (no client library normalising the target),
 * so the spellings an attacker would try reach the server as written.
 */
function raw(
  base: string,
  method: string,
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; head: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    let data = '';
    socket.setTimeout(10_000, () => socket.destroy(new Error(`no answer to ${method} ${target}`)));
    socket.on('data', (d: Buffer) => {
      data += d.toString('latin1');
      const end = data.indexOf('\r\n\r\n');
      if (end !== -1) {
        socket.destroy();
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0), head: data.slice(0, end) });
      }
    });
    socket.on('error', reject);
    const lines = [`${method} ${target} HTTP/1.1`, 'Host: localhost', 'Connection: close', 'Content-Length: 0'];
    for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
    socket.write(`${lines.join('\r\n')}\r\n\r\n`);
  });
}

/** A concrete path for a route pattern (`:id` → an id-shaped value). */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'abcdefghijkl');
}

/** Ways to write the same path that routers, proxies and decoders disagree on. */
function spellings(path: string): string[] {
  const segments = path.split('/').slice(1);
  const encodeFirstLetter = (s: string) => s.replace(/[a-z]/, (c) => `%${c.charCodeAt(0).toString(16)}`);
  const out = new Set<string>([
    path,
    `${path}/`,
    `${path}?`,
    `${path}#x`,
    `${path}?token=`,
    `/${segments.map(encodeFirstLetter).join('/')}`,
    `/${segments.map((s) => s.replace(/[a-z]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)).join('/')}`,
    `/${segments.join('%2F')}`,
    `/${segments.join('%2f')}`,
    `//${segments.join('//')}`,
    `/${segments.join('///')}`,
    `/./${segments.join('/./')}`,
    `/x/../${segments.join('/')}`,
    `/${segments[0]}/x/../${segments.slice(1).join('/')}`,
    `/%2e/${segments.join('/')}`,
    `/${segments.join('/')}/.`,
    path.toUpperCase(),
    `/${segments.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('/')}`,
    `/${segments.join('/')};x=1`,
    `\\${segments.join('\\')}`,
    `http://localhost${path}`,
    `http://127.0.0.1${path}`,
    `http://evil.example${path}`,
    `/${segments.join('/')}%00`,
    `/${segments.join('/')}%20`,
  ]);
  return [...out];
}

/**
 * What a stranger must get. Always 401, with two exceptions that never reach
 * a route: a target the HTTP parser refuses as malformed (400 before any
 * routing), and, through Caddy, an absolute-form target naming another host,
 * which Caddy routes by that host (its "no deployment" 404 page).
 */
function expectedFor(target: string, viaCaddy: boolean): { status: number; from: string } {
  if (target.includes('\\')) return { status: 400, from: 'the HTTP parser' };
  if (viaCaddy && /^http:\/\/(?!localhost\/)/.test(target)) return { status: 404, from: "Caddy's catch-all" };
  return { status: 401, from: 'the API' };
}

describe('default-deny auth, decided on the matched route', () => {
  it('has every route declared, and only health endpoints, the dashboard files, Caddy’s TLS ask and the signed git hooks public', () => {
    const routes = stack.api.routeAccess;
    expect(routes.length).toBeGreaterThan(10);
    const docs = (url: string) => url === '/docs' || url.startsWith('/docs/');
    const open = routes.filter((r) => r.action === 'public' && !docs(r.url)).map((r) => `${r.method} ${r.url}`);
    // The API's documentation pages (swagger-ui's static files) are public and read-only.
    const docPages = routes.filter((r) => docs(r.url));
    expect(docPages.length).toBeGreaterThan(0);
    for (const r of docPages) expect([r.action, r.method], r.url).toSatisfy(([a, m]) => a === 'public' && (m === 'GET' || m === 'HEAD'));
    expect(open.sort()).toEqual([
      'GET /', // the dashboard's page and its bundled files (apps/api/src/routes/dashboard.ts)
      'HEAD /',
      'GET /assets/:file',
      'HEAD /assets/:file',
      'GET /api/openapi.json', // the contract names routes, never data (README: API reference)
      'HEAD /api/openapi.json',
      'GET /api/tls/allowed',
      'GET /healthz',
      'GET /readyz',
      'HEAD /api/tls/allowed',
      'HEAD /healthz',
      'HEAD /readyz',
      'POST /api/hooks/git/:project', // the signature is the credential (test/e2e/git-hooks.test.ts)
      'POST /api/auth/login', // email and password are the credential, rate-limited (apps/api/test/stack/accounts/lockout.test.ts)
      'POST /api/auth/setup', // the one-time link is the credential (apps/api/test/stack/accounts/invitation.test.ts)
    ].sort());
  });

  it('refuses to register a route that does not declare its access (default deny: nothing is open by accident)', async () => {
    const app = (await import('fastify')).default();
    const { accessDeps, installAuth } = await import('@berth/api/auth');
    installAuth(app, accessDeps({ ...stack.apiDeps(), sessionTimes: defaultSessionTimes }, 1000));
    expect(() => app.get('/api/forgotten', async () => ({ secret: true }))).toThrow('declares no config.action');
    expect(() => app.get('/api/odd', { config: { action: 'project.godmode' as never } }, async () => ({}))).toThrow('unknown action');
    // A project action must say where its project comes from; an instance action must not.
    expect(() => app.get('/api/p/:name', { config: { action: 'project.read' } }, async () => ({}))).toThrow('config.project');
    expect(() => app.get('/api/w', { config: { action: 'instance.read', project: 'param' } }, async () => ({}))).toThrow('names a project source');
    expect(app.routeAccess.map((r) => r.url)).toEqual([]);
    await app.close();
  });

  for (const [where, base, viaCaddy] of [
    ['on the API port', () => stack.apiUrl, false],
    ['through Caddy', () => stack.caddyUrl, true],
  ] as const) {
    it(`answers 401 to anonymous requests for every protected route in every spelling, ${where}`, async () => {
      const failures: string[] = [];
      let tried = 0;
      for (const route of stack.api.routeAccess.filter((r) => r.action !== 'public')) {
        for (const target of spellings(concrete(route.url))) {
          tried++;
          const expected = expectedFor(target, viaCaddy);
          const { status, head } = await raw(base(), route.method, target);
          if (status !== expected.status) {
            failures.push(`${route.method} ${target} → ${head.split('\r\n')[0]} (expected ${expected.status} from ${expected.from})`);
          } else if (expected.status === 404 && /application\/json/i.test(head)) {
            failures.push(`${route.method} ${target} reached the API (${head.split('\r\n')[0]})`);
          }
        }
      }
      expect(tried).toBeGreaterThan(200);
      expect(failures).toEqual([]);
    });
  }

  it('gives the same spellings to the admin token something other than 401 (the walk reaches real routes)', async () => {
    const reached = await raw(stack.apiUrl, 'GET', '/api/tokens', { authorization: `Bearer ${testToken}` });
    expect(reached.status).toBe(200);
    const viaCaddy = await raw(stack.caddyUrl, 'GET', '//api//tokens', { authorization: `Bearer ${testToken}` });
    expect(viaCaddy.status).not.toBe(401);
  });

  it('never mints a token for an anonymous request, in any spelling (the reported bypass)', async () => {
    const before = (await stack.db.db.selectFrom('api_tokens').select('id').execute()).length;
    for (const target of spellings('/api/tokens')) {
      expect((await raw(stack.apiUrl, 'POST', target)).status).toBe(expectedFor(target, false).status);
      expect((await raw(stack.caddyUrl, 'POST', target)).status).toBe(expectedFor(target, true).status);
    }
    expect((await stack.db.db.selectFrom('api_tokens').select('id').execute()).length).toBe(before);
  });

  it('refuses unknown paths to strangers with 401, not a 404 that maps the API', async () => {
    // '/' is the dashboard's page (public); paths beside it are not.
    for (const target of ['/api/nothing-here', '/index.html', '/admin', '/assets', '/assets/x/../../package.json', '/api/../../etc/passwd']) {
      expect((await raw(stack.apiUrl, 'GET', target)).status).toBe(401);
    }
    expect((await raw(stack.apiUrl, 'GET', '/api/nothing-here', { authorization: `Bearer ${testToken}` })).status).toBe(404);
  });
});
