import type { Server } from 'node:http';

/**
 * The program of the swarm prober container (swarm-prober.ts starts it with
 * `node -e`, from the source of the functions below: proberSource(). So they
 * must not use anything from outside their bodies but each other: proberMain
 * gets `require` and the environment as arguments, and hands the modules on).
 *
 * A door into the app overlay, so it answers as little as it can:
 * - only `GET /probe?address=&port=&path=` carrying the worker's token
 *   (`x-berth-probe-token`, compared in constant time); anything else is 403/404/405;
 * - it dials only IPv4 addresses inside the subnets of the app networks it
 *   is attached to *now* (read from its interfaces on every request: the
 *   worker connects it to one deployment's network for that deployment's
 *   probes and detaches it after), never their network, broadcast or
 *   gateway (Docker's first address) addresses, its own, or those in
 *   `BERTH_PROBE_DENY`: no way to Redis, Postgres, the host, a metadata
 *   service or an app it is not probing through it; the interface it listens
 *   on (the default bridge) is never a target;
 * - the worker's semantics: one GET, status < 500 is up, 1 s of silence or
 *   2 s in all is down, redirects are not followed, the body is never read
 *   into the answer (only `{ up, status }`);
 * - it listens on the address it has when it starts (the default bridge,
 *   before the worker connects it to any app network), so the apps it
 *   probes cannot even open a connection to it;
 * - after `BERTH_PROBE_IDLE_MS` without an authorised request it exits (the
 *   container is auto-removed): a crashed worker's prober does not linger.
 */
export function proberMain(req: (id: string) => unknown, env: Record<string, string | undefined>): Server {
  const http = req('node:http') as typeof import('node:http');
  const crypto = req('node:crypto') as typeof import('node:crypto');
  const targets = proberTargets(req('node:os') as typeof import('node:os'), req('node:net') as typeof import('node:net'), env);
  const token = Buffer.from(env.BERTH_PROBE_TOKEN ?? '');
  const authorised = (given: unknown) => {
    const value = Buffer.from(typeof given === 'string' ? given : '');
    return token.length >= 16 && value.length === token.length && crypto.timingSafeEqual(value, token);
  };

  const idleMs = Number(env.BERTH_PROBE_IDLE_MS ?? 0);
  let idle: NodeJS.Timeout | undefined;
  const keepAlive = () => {
    if (!(idleMs > 0)) return;
    clearTimeout(idle);
    idle = setTimeout(() => server.close(() => process.exit(0)), idleMs);
    idle.unref?.();
  };

  const server = http.createServer((request, response) => {
    let answered = false;
    const reply = (status: number, body: object) => {
      if (answered) return;
      answered = true;
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    const url = new URL(request.url ?? '/', 'http://prober');
    if (url.pathname !== '/probe') return reply(404, { error: 'not found' });
    if (request.method !== 'GET') return reply(405, { error: 'only GET' });
    if (!authorised(request.headers['x-berth-probe-token'])) return reply(403, { error: 'not authorised' });
    keepAlive();
    probeOnce(http, targets.allowed, url.searchParams, reply);
  });
  server.listen(Number(env.BERTH_PROBE_PORT ?? 8080), targets.listenOn);
  keepAlive();
  return server;
}

/**
 * Where the prober listens (the first outside address it has at start: the default bridge, never a
 * target network) and which addresses it may dial: inside the networks it is attached to now.
 */
function proberTargets(os: typeof import('node:os'), net: typeof import('node:net'), env: Record<string, string | undefined>) {
  const toInt = (ip: string) => ip.split('.').reduce((n, part) => n * 256 + Number(part), 0);
  const denied = new Set((env.BERTH_PROBE_DENY ?? '').split(',').filter(Boolean));
  const listenOn =
    env.BERTH_PROBE_LISTEN ??
    Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address ??
    '127.0.0.1';
  /** The networks it is attached to now, but the one it listens on: where targets may be. */
  const attached = () =>
    Object.values(os.networkInterfaces())
      .flat()
      .flatMap((i) => {
        if (!i || i.family !== 'IPv4' || i.internal || i.address === listenOn || !i.cidr) return [];
        const [base = '', bits = '32'] = i.cidr.split('/');
        const size = 2 ** (32 - Math.min(32, Number(bits)));
        const start = toInt(base) - (toInt(base) % size);
        return [{ start, end: start + size - 1, own: toInt(i.address) }];
      });
  const allowed = (address: string) => {
    if (!net.isIPv4(address) || denied.has(address)) return false;
    const n = toInt(address);
    // Inside an attached subnet, and neither its network, its gateway (Docker's first address), its broadcast nor our own.
    return attached().some((s) => n > s.start + 1 && n < s.end && n !== s.own);
  };
  return { listenOn, allowed };
}

/** One authorised probe: checks the target, dials it once, answers `{ up, status }` (never the body). */
function probeOnce(
  http: typeof import('node:http'),
  allowed: (address: string) => boolean,
  params: URLSearchParams,
  reply: (status: number, body: object) => void,
): void {
  const address = params.get('address') ?? '';
  const port = Number(params.get('port'));
  const path = params.get('path') ?? '/';
  if (!allowed(address)) return reply(403, { error: 'address outside the app network' });
  if (!Number.isInteger(port) || port < 1 || port > 65535) return reply(400, { error: 'bad port' });
  // eslint-disable-next-line no-control-regex
  if (!path.startsWith('/') || path.length > 2048 || /[\s\x00-\x1f\x7f]/.test(path)) return reply(400, { error: 'bad path' });
  const out = http.get({ host: address, port, path, timeout: 1000, agent: false, headers: { 'user-agent': 'berth-health-probe' } }, (res) => {
    res.destroy(); // the status is all we need; the body is never read
    reply(200, { up: (res.statusCode ?? 500) < 500, status: res.statusCode });
  });
  const total = setTimeout(() => out.destroy(), 2000);
  out.on('close', () => clearTimeout(total));
  out.on('timeout', () => out.destroy());
  out.on('error', () => reply(200, { up: false }));
}

/**
 * The prober's program as `node -e` runs it: the functions above (each refers only to the others)
 * and a call of proberMain with `require` and the environment. esbuild (tsx, vitest) may wrap inner
 * functions in __name(); the container has no such helper.
 */
export function proberSource(): string {
  return ['var __name = (f) => f;', ...[proberTargets, probeOnce, proberMain].map(String), 'proberMain(require, process.env);'].join('\n');
}
