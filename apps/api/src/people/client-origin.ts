import { isIP } from 'node:net';
import type { FastifyRequest } from 'fastify';

/**
 * Where a request came from, for rate limits, the audit log and the
 * cookie's Secure flag. The API sits behind Caddy, which connects from
 * loopback (or over the API's unix socket, swarm mode) and sets
 * X-Forwarded-For and X-Forwarded-Proto, overwriting what the client sent.
 * Those headers are believed only from such a peer: anyone who reaches the
 * API's port directly could write them, and would pick their own rate-limit
 * key and audit address.
 */
export interface ClientOrigin {
  /** The client's address: the proxy's last X-Forwarded-For hop, else the socket's peer. */
  address: string;
  /** True when the client's request came over HTTPS (TLS on our socket, or the trusted proxy says so). */
  https: boolean;
}

function isTrustedProxy(peer: string | undefined): boolean {
  // A unix socket has no peer address: only what can open the socket file (Caddy's container) reaches it.
  if (peer === undefined || peer === '') return true;
  const plain = peer.startsWith('::ffff:') ? peer.slice(7) : peer;
  return plain === '::1' || (isIP(plain) === 4 && plain.startsWith('127.'));
}

function lastHop(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header.join(',') : header;
  const hops = value?.split(',').map((h) => h.trim()).filter((h) => isIP(h) !== 0);
  return hops?.[hops.length - 1];
}

export function clientOrigin(request: FastifyRequest): ClientOrigin {
  const peer = request.socket.remoteAddress;
  const tls = 'encrypted' in request.socket && request.socket.encrypted === true;
  if (!isTrustedProxy(peer)) return { address: peer ?? 'unknown', https: tls };
  const forwardedProto = request.headers['x-forwarded-proto'];
  const proto = (Array.isArray(forwardedProto) ? forwardedProto[0] : forwardedProto)?.split(',')[0]?.trim().toLowerCase();
  return {
    address: lastHop(request.headers['x-forwarded-for']) ?? peer ?? 'unix-socket',
    https: tls || proto === 'https',
  };
}
