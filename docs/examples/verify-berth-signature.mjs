// Verifying a Berth webhook on the receiving side (Node, no dependencies).
// Berth sends `X-Berth-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
// with the webhook's secret, and `X-Berth-Delivery: <id>` to deduplicate on.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when `rawBody` (the exact bytes received) was signed with `secret` within `toleranceSeconds`. */
export function verifyBerthSignature(secret, header, rawBody, toleranceSeconds = 300, nowSeconds = Date.now() / 1000) {
  const parts = Object.fromEntries(String(header ?? '').split(',').map((p) => p.split('=', 2)));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || !parts.v1 || Math.abs(nowSeconds - t) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${t}.`).update(rawBody).digest('hex');
  const a = Buffer.from(parts.v1);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

// In an HTTP handler, read the raw body first, then:
//   if (!verifyBerthSignature(process.env.BERTH_WEBHOOK_SECRET, req.headers['x-berth-signature'], raw)) return 401;
//   if (seen.has(req.headers['x-berth-delivery'])) return 200; // at-least-once: deduplicate
