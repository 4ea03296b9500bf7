import type { FastifyReply, FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { clientOrigin } from '../../src/people/client-origin.ts';
import { clearSessionCookie, sessionSecretOf, setSessionCookie } from '../../src/people/session-cookie.ts';

function request(peer: string | undefined, headers: Record<string, string> = {}, encrypted = false): FastifyRequest {
  return { socket: { remoteAddress: peer, ...(encrypted ? { encrypted: true } : {}) }, headers } as unknown as FastifyRequest;
}

describe('where a request came from', () => {
  it('believes X-Forwarded-For and X-Forwarded-Proto from the proxy on loopback or the unix socket', () => {
    const forwarded = { 'x-forwarded-for': '198.51.100.7', 'x-forwarded-proto': 'https' };
    for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1', undefined]) {
      expect(clientOrigin(request(peer, forwarded)), String(peer)).toEqual({ address: '198.51.100.7', https: true });
    }
    // Caddy appends the peer it saw: the last hop is the client as Caddy knew it.
    expect(clientOrigin(request('127.0.0.1', { 'x-forwarded-for': '10.9.9.9, 203.0.113.4' })).address).toBe('203.0.113.4');
    expect(clientOrigin(request('127.0.0.1', { 'x-forwarded-proto': 'http' })).https).toBe(false);
  });

  it('ignores them from anyone else: the address is the socket peer, HTTPS only when the socket is TLS', () => {
    const forged = { 'x-forwarded-for': '127.0.0.1', 'x-forwarded-proto': 'https' };
    expect(clientOrigin(request('203.0.113.9', forged))).toEqual({ address: '203.0.113.9', https: false });
    expect(clientOrigin(request('203.0.113.9', forged, true)).https).toBe(true);
    expect(clientOrigin(request('127.0.0.1', { 'x-forwarded-for': 'not-an-ip' })).address).toBe('127.0.0.1');
  });
});

describe('the session cookie', () => {
  const reply = () => {
    const headers: Record<string, string> = {};
    return { headers, header: (k: string, v: string) => ((headers[k] = v), undefined) } as unknown as FastifyReply & { headers: Record<string, string> };
  };

  it('is httpOnly, SameSite=Lax, Path=/, lives until the absolute expiry, Secure only when asked', () => {
    const r = reply();
    setSessionCookie(r, 'abc', { expiresAt: new Date(Date.now() + 3600_000), secure: false });
    expect(r.headers['set-cookie']).toMatch(/^berth_session=abc; Path=\/; HttpOnly; SameSite=Lax; Max-Age=(3599|3600)$/);
    setSessionCookie(r, 'abc', { expiresAt: new Date(Date.now() + 3600_000), secure: true });
    expect(r.headers['set-cookie']).toMatch(/; Secure$/);
    clearSessionCookie(r, false);
    expect(r.headers['set-cookie']).toBe('berth_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0');
  });

  it('is read from the Cookie header among others', () => {
    expect(sessionSecretOf(request('127.0.0.1', { cookie: 'a=1; berth_session=s3cr3t; b=2' }))).toBe('s3cr3t');
    expect(sessionSecretOf(request('127.0.0.1', { cookie: 'xberth_session=no' }))).toBeUndefined();
    expect(sessionSecretOf(request('127.0.0.1', {}))).toBeUndefined();
  });
});
