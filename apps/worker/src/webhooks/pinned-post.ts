import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { ResolvedTarget } from '@berth/shared/webhook-target';

/** What one POST ended with. */
export interface PostAttempt {
  statusCode: number | null;
  error: string | null;
  durationMs: number;
}

/** One POST to the pinned address, no redirect followed (a 3xx is a failed attempt); `ca`: the certificates an https target's chain may end in (default: the system's). */
export function postPinned(target: Pick<ResolvedTarget, 'url' | 'address' | 'family'>, body: string, headers: Record<string, string>, timeoutMs: number, ca?: string[]): Promise<PostAttempt> {
  const started = performance.now();
  const lookup: LookupFunction = (_host, opts, cb) => {
    if ((opts as { all?: boolean }).all) (cb as (e: null, a: { address: string; family: number }[]) => void)(null, [{ address: target.address, family: target.family }]);
    else cb(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve) => {
    // `timeout` is per idle socket; a target that drips its answer is cut at the deadline too.
    const deadline = setTimeout(() => req.destroy(new Error(`no complete answer within ${timeoutMs} ms`)), timeoutMs);
    const done = (a: PostAttempt) => {
      clearTimeout(deadline);
      resolve(a);
    };
    const req = client.request(
      target.url,
      { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, lookup, timeout: timeoutMs, agent: false, ...(ca ? { ca } : {}) },
      (res) => {
        res.resume();
        res.on('end', () => done({ statusCode: res.statusCode ?? 0, error: null, durationMs: performance.now() - started }));
        res.on('error', (err) => done({ statusCode: res.statusCode ?? null, error: err.message, durationMs: performance.now() - started }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => done({ statusCode: null, error: err.message, durationMs: performance.now() - started }));
    req.end(body);
  });
}
