import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** A new signing secret (incoming hooks and outgoing webhooks alike). */
export function newSigningSecret(prefix: 'whsec' | 'hooksec'): string {
  return `${prefix}_${randomBytes(24).toString('base64url')}`;
}

export function hmacHex(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

/** Equal strings, compared in constant time (a length difference is not secret). */
export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Berth's outgoing signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of
 * "<t>.<body>">`. The timestamp lets a receiver refuse old deliveries replayed
 * to it; the delivery id (`X-Berth-Delivery`) lets it refuse repeats.
 */
export function berthSignature(secret: string, body: string, unixSeconds: number): string {
  return `t=${unixSeconds},v1=${hmacHex(secret, `${unixSeconds}.${body}`)}`;
}
