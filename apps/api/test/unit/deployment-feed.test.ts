import { describe, expect, it } from 'vitest';
import type { FastifyBaseLogger } from 'fastify';
import type { BerthEvent } from '@berth/shared/events';
import type { LogLine } from '@berth/shared/log-line';
import { DeploymentFeed, gapWaitMs, type DeploymentHistorySources } from '../../src/sse/deployment-feed.ts';
import type { SseResponse } from '../../src/sse/sse-response.ts';

// The feed's ordering logic around its sources: storage is an array a test
// fills as a writer would, the relay a handler the test calls, the response
// the frames it was given.
const id = 'feed00000001';
const line = (seq: number): LogLine => ({ seq, ts: '2026-12-07T00:00:00.000000Z', stream: 'runtime', line: `run ${seq}` });

function feedOn(stored: LogLine[]) {
  const frames: string[] = [];
  let closed = false;
  const sse = {
    get isClosed() {
      return closed;
    },
    onClose: () => {},
    write: (f: string) => void frames.push(f),
    send: (event: string, data: unknown) => void frames.push(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
    end: () => void (closed = true),
  } as unknown as SseResponse;
  const sources: DeploymentHistorySources = {
    store: { get: async () => ({ id, status: 'running', error_code: null, error_message: null, updated_at: new Date() }) as never },
    history: { list: async () => [] },
    logs: { read: async (_id, o) => stored.filter((l) => l.seq > (o?.afterSeq ?? 0)).slice(0, o?.limit ?? 10_000) },
  };
  let deliver!: (event: BerthEvent) => void;
  const relay = { subscribe: (_d: string | undefined, handler: (e: BerthEvent) => void) => ((deliver = handler), () => {}) };
  const feed = new DeploymentFeed(sources, sse, id, { resumeFrom: 0, followRuntime: true, log: { error: () => {} } as unknown as FastifyBaseLogger });
  const seqs = () => [...frames.join('').matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  return { start: () => feed.start(relay), deliver: (lines: LogLine[]) => deliver({ type: 'log', deploymentId: id, lines }), seqs };
}

const until = async (check: () => boolean, ms = gapWaitMs * 2) => {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
};

describe('a viewer of one deployment', () => {
  it('waits for a line another writer numbered but stores later, and sends it in its place', async () => {
    const stored = [line(1), line(2)];
    const feed = feedOn(stored);
    await feed.start();
    // The following worker's batch (seq 4) is published while the deploying worker's seq 3 is still being stored.
    stored.push(line(4));
    feed.deliver([line(4)]);
    await new Promise((r) => setTimeout(r, 200));
    expect(feed.seqs()).toEqual([1, 2]); // held, not sent past the gap
    stored.splice(2, 0, line(3));
    feed.deliver([line(3)]);
    await until(() => feed.seqs().length === 4);
    expect(feed.seqs()).toEqual([1, 2, 3, 4]);
  });

  it('goes on past a gap that is never filled (a killed writer reserved those seqs), once', async () => {
    const stored = [line(1)];
    const feed = feedOn(stored);
    await feed.start();
    stored.push(line(5));
    const sent = Date.now();
    feed.deliver([line(5)]);
    await until(() => feed.seqs().length === 2);
    expect(feed.seqs()).toEqual([1, 5]);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(gapWaitMs - 100);
    stored.push(line(6));
    feed.deliver([line(6)]);
    await until(() => feed.seqs().length === 3, 300);
    expect(feed.seqs()).toEqual([1, 5, 6]);
  });
});
