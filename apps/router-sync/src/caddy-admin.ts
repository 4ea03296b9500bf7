import http from 'node:http';
import { onceMoreIfCut } from '@berth/shared/connection-cut';

/** Caddy's admin API, as far as router-sync needs it. */
export interface CaddyAdmin {
  load(config: unknown): Promise<void>;
  current(): Promise<unknown>;
}

/**
 * Caddy's admin API over TCP (`http://host:port`) or a unix socket
 * (`unix:///path/admin.sock`). The socket is how compose keeps the admin API
 * off every network: only containers that mount its volume can reach it.
 */
export class HttpCaddyAdmin implements CaddyAdmin {
  private readonly target: { socketPath: string } | { host: string; port: number };

  constructor(adminUrl: string) {
    const url = new URL(adminUrl);
    this.target =
      url.protocol === 'unix:'
        ? { socketPath: decodeURIComponent(url.pathname) }
        : { host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 80) };
  }

  async load(config: unknown): Promise<void> {
    const res = await this.call('POST', '/load', JSON.stringify(config), 10_000);
    if (res.status < 200 || res.status >= 300) {
      throw new Error(`caddy /load answered ${res.status}: ${res.body.slice(0, 500)}`);
    }
  }

  async current(): Promise<unknown> {
    const res = await this.call('GET', '/config/', undefined, 5000);
    if (res.status !== 200) throw new Error(`caddy /config/ answered ${res.status}`);
    return JSON.parse(res.body);
  }

  /**
   * Caddy replaces its admin server on a load, and a connection the old one
   * accepted can meet its close (cold CI runs saw a bare ECONNRESET or "socket
   * hang up" about once in a thousand loads). Both calls are idempotent, so
   * such a call is made once more.
   */
  private call(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; body: string }> {
    return onceMoreIfCut(() => this.callOnce(method, path, body, timeoutMs), { pauseMs: 50 });
  }

  private callOnce(method: string, path: string, body: string | undefined, timeoutMs: number): Promise<{ status: number; body: string }> {
    // Caddy checks the Host of admin requests: on a unix socket it accepts only an empty one
    // (RFC 7230 for a URI without a host), on a loopback port its own host:port.
    const host = 'socketPath' in this.target ? '' : `${this.target.host.includes(':') ? `[${this.target.host}]` : this.target.host}:${this.target.port}`;
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          ...this.target,
          method,
          path,
          setHost: false,
          agent: false,
          headers: { host, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          signal: AbortSignal.timeout(timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }
}
