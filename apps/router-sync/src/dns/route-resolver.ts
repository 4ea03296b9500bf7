/**
 * router-sync's DNS answers for Caddy (docker mode): which app a request's
 * host reaches, asked by Caddy's `dynamic_upstreams` instead of being written
 * into its config. A project URL that moves to a new release, a new app, an
 * app that goes: each is a change of the maps here, seen by Caddy at its next
 * lookup (`refresh`), with no config load, so no client connection is closed.
 *
 * Two kinds of names, nothing else:
 * - `<host>.up.berth` SRV → `<deployment>.dep.berth`, the app's port: what a
 *   request's Host reaches (the reverse proxy's lookup);
 * - `<deployment>.dep.berth` A → the app's address (the proxy's dial of that
 *   target, through the same resolver).
 * Every other name is NXDOMAIN: a Host that is not a routed app finds
 * nothing, and Caddy asks no one else (the resolver is the only server it is
 * given). Names are matched case-insensitively, as DNS does.
 */
import dgram from 'node:dgram';
import type { Logger } from '@berth/shared/logger';
import type { RunningApp } from '../caddy-config.ts';
import { encodeAnswer, parseQuery, rcode, recordType, type DnsRecord } from './dns-message.ts';

/** Suffix of the names Caddy asks for a request's host (the proxy's `name` template ends with it). */
export const hostSuffix = 'up.berth';
/** Suffix of a deployment's address name (an SRV answer's target). */
const targetSuffix = 'dep.berth';

interface Routes {
  hosts: Map<string, { target: string; port: number }>;
  targets: Map<string, string>;
}

/** Routed hosts → the two answer maps; an app whose address is not an IPv4 one (not docker mode) is left out. */
export function routeAnswers(hosts: ReadonlyMap<string, RunningApp>): Routes {
  const routes: Routes = { hosts: new Map(), targets: new Map() };
  for (const [host, app] of hosts) {
    const match = /^(\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(app.upstream);
    if (!match) continue;
    const target = `${app.deploymentId.toLowerCase()}.${targetSuffix}`;
    routes.targets.set(target, match[1]!);
    routes.hosts.set(`${host.toLowerCase()}.${hostSuffix}`, { target, port: Number(match[2]) });
  }
  return routes;
}

/** What the resolver answers a question with: a code and its records. */
export function answerFor(routes: Routes, name: string, type: number, klass: number): { code: number; records: DnsRecord[] } {
  const key = name.toLowerCase();
  const host = routes.hosts.get(key);
  const ipv4 = routes.targets.get(key);
  if (klass !== 1 || (!host && !ipv4)) return { code: rcode.nxDomain, records: [] };
  // A known name asked for another type (Go asks AAAA beside A): no records, no error.
  if (host && type === recordType.SRV) return { code: rcode.noError, records: [{ type: 'SRV', ...host }] };
  if (ipv4 && type === recordType.A) return { code: rcode.noError, records: [{ type: 'A', ipv4 }] };
  return { code: rcode.noError, records: [] };
}

export class RouteResolver {
  private routes: Routes = { hosts: new Map(), targets: new Map() };
  private socket: dgram.Socket | undefined;
  /** Queries answered; tests and logs read it. */
  queries = 0;

  constructor(
    private readonly listen: string,
    private readonly logger: Logger,
  ) {}

  /** Every routed host (routedHosts) → its app; replaces the previous set at once. */
  setHosts(hosts: ReadonlyMap<string, RunningApp>): void {
    this.routes = routeAnswers(hosts);
  }

  /** Binds (port 0: any free one) and resolves with Caddy's spelling of the address: `udp/127.0.0.1:port`. */
  async start(): Promise<string> {
    const at = this.listen.lastIndexOf(':');
    const host = this.listen.slice(0, at).replace(/^\[|\]$/g, '');
    const socket = dgram.createSocket(host.includes(':') ? 'udp6' : 'udp4');
    this.socket = socket;
    socket.on('message', (packet, from) => this.answer(socket, packet, from));
    socket.on('error', (err) => this.logger.warn({ err }, 'route resolver socket error'));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(Number(this.listen.slice(at + 1)), host, () => resolve());
    });
    const bound = socket.address();
    return `udp/${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  }

  private answer(socket: dgram.Socket, packet: Buffer, from: dgram.RemoteInfo): void {
    const query = parseQuery(packet);
    if (!query) return;
    this.queries++;
    const { code, records } = answerFor(this.routes, query.name, query.type, query.klass);
    // TTL 0: Caddy keeps an answer for its own `refresh`, nobody else should keep it at all.
    socket.send(encodeAnswer(packet, query, code, records, 0), from.port, from.address);
  }

  async stop(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}
