import { describe, expect, it } from 'vitest';
import type { LogDrainRow } from '@berth/shared/log-drain-store';
import type { LogLine } from '@berth/shared/log-line';
import { createLogger } from '@berth/shared/logger';
import type { SecretBox } from '@berth/shared/secret-box';
import { DrainDeliverer, withinBatchBytes, type DrainDelivererOptions } from '../../src/drains/drain-deliverer.ts';

// The deliverer's turns around fakes of its store, its log store and its senders: a receiver that takes
// each batch slowly must not hold back another drain's delivery.

const options: DrainDelivererOptions = {
  owner: 'w1',
  instance: 'test',
  pollMs: 5000,
  batchLines: 2,
  timeoutMs: 10_000,
  retryBaseMs: 1000,
  retryMaxMs: 60_000,
  pauseAfter: 5,
  allowPrivate: true,
  allowHttp: true,
};

function fakes() {
  const leased = new Set<string>();
  const drains = {
    claimDue: async (_owner: string, _leaseMs: number, limit: number) => {
      const due = ['slow', 'fast'].filter((id) => !leased.has(id)).slice(0, limit);
      for (const id of due) leased.add(id);
      return due.map((id) => ({ id, project: id, failures: 0 }) as unknown as LogDrainRow);
    },
    release: async (id: string) => void leased.delete(id),
    recordFailure: async (id: string) => void leased.delete(id),
    pending: async () => [{ deploymentId: 'd1', afterSeq: 0 }],
    advance: async () => true,
  };
  // Six lines, two a batch: three batches per turn.
  const logs = { read: async (_id: string, { afterSeq }: { afterSeq: number }) => [1, 2, 3, 4, 5, 6].filter((seq) => seq > afterSeq).slice(0, 2).map((seq) => ({ seq, line: `line ${seq}` }) as LogLine) };
  return { drains, logs };
}

describe('DrainDeliverer turns', () => {
  it('delivers a fast drain again while a slow receiver still holds its own turn; a pass does not wait for either', async () => {
    const { drains, logs } = fakes();
    const sent: Record<string, number> = { slow: 0, fast: 0 };
    let releaseSlow = () => {};
    const slowBatch = new Promise<void>((resolve) => (releaseSlow = resolve));
    const deliverer = new DrainDeliverer({
      drains,
      logs,
      secrets: {} as SecretBox,
      logger: createLogger('test', 'silent'),
      options,
      senderFor: async (drain) => async () => {
        if (drain.id === 'slow') await slowBatch;
        sent[drain.id]!++;
      },
    });
    await deliverer.pass(); // both claimed; the slow one's first batch hangs
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual({ slow: 0, fast: 3 });
    await deliverer.pass(); // the fast drain's lease was given back: its next turn starts, the slow one is still held
    await new Promise((r) => setTimeout(r, 20));
    expect(sent).toEqual({ slow: 0, fast: 6 });
    releaseSlow();
    await deliverer.settled();
    expect(sent).toEqual({ slow: 3, fast: 6 });
  });
});

describe('withinBatchBytes', () => {
  const line = (seq: number, text: string) => ({ seq, line: text }) as LogLine;
  it('cuts a batch of long lines at 1 MiB as JSON escapes them (ESC is six bytes there), keeping at least one line', () => {
    const escapes = '\u001b'.repeat(16 * 1024); // 16 KiB of ESC: 96 KiB once escaped
    const batch = Array.from({ length: 500 }, (_, i) => line(i + 1, escapes));
    const cut = withinBatchBytes(batch);
    expect(cut.length).toBe(10); // 10 × 96 KiB fits in 1 MiB, 11 does not
    expect(cut.at(-1)!.seq).toBe(10);
    expect(withinBatchBytes([line(1, 'x'.repeat(2 * 1024 * 1024))])).toHaveLength(1);
    const short = [line(1, 'a'), line(2, 'b')];
    expect(withinBatchBytes(short)).toEqual(short);
  });
});
