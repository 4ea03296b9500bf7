import type { LogLine } from '@berth/shared/log-line';
import type { ResolvedDrainTarget } from '@berth/shared/log-drain-target';
import { berthSignature } from '@berth/shared/webhook-signature';
import { postPinned } from '../webhooks/pinned-post.ts';
import type { DrainSource } from './syslog-frame.ts';

/** A batch as NDJSON: one JSON object a line, in seq order. */
export function ndjsonBatch(lines: readonly LogLine[], source: DrainSource): string {
  return lines
    .map((l) => JSON.stringify({ project: source.project, deploymentId: source.deploymentId, seq: l.seq, ts: l.ts, stream: l.stream, line: l.line }))
    .map((record) => `${record}\n`)
    .join('');
}

/**
 * POSTs one batch, signed as outgoing webhooks are (`X-Berth-Signature`), with a
 * delivery id that is the same each time this batch is sent again
 * (`<drain>:<deployment>:<first seq>-<last seq>`): receivers deduplicate on it
 * or on the seqs. Anything but a 2xx fails the batch.
 */
export async function postDrainBatch(
  target: ResolvedDrainTarget,
  batch: { drainId: string; secret: string; lines: readonly LogLine[]; source: DrainSource },
  options: { timeoutMs: number; ca?: string[] | undefined },
): Promise<void> {
  const body = ndjsonBatch(batch.lines, batch.source);
  const first = batch.lines[0]!.seq;
  const last = batch.lines.at(-1)!.seq;
  const attempt = await postPinned(
    target,
    body,
    {
      'content-type': 'application/x-ndjson',
      'user-agent': 'Berth-LogDrains/1',
      'x-berth-delivery': `${batch.drainId}:${batch.source.deploymentId}:${first}-${last}`,
      'x-berth-signature': berthSignature(batch.secret, body, Math.floor(Date.now() / 1000)),
    },
    options.timeoutMs,
    options.ca,
  );
  if (attempt.statusCode === null) throw new Error(attempt.error ?? 'the request failed');
  if (attempt.statusCode < 200 || attempt.statusCode >= 300) throw new Error(`the receiver answered ${attempt.statusCode}`);
}
