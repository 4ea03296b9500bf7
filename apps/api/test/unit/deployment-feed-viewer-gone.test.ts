import { describe, expect, it } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { DeploymentFeed, type DeploymentHistorySources } from '../../src/sse/deployment-feed.ts';
import type { SseResponse } from '../../src/sse/sse-response.ts';

/** History sources that count their reads (and have nothing stored). */
function countingSources() {
  const reads: string[] = [];
  const sources: DeploymentHistorySources = {
    store: { get: async () => (reads.push('store'), undefined) },
    history: { list: async () => (reads.push('history'), []) },
    logs: { read: async () => (reads.push('logs'), []) },
  };
  return { reads, sources };
}

/** A stream whose client is gone or there, as SseResponse reports it. */
function fakeStream(closed: boolean) {
  const onClose: (() => void)[] = [];
  const sse = {
    isClosed: closed,
    onClose: (handler: () => void) => (closed ? handler() : onClose.push(handler)),
    send: () => {},
    write: () => {},
    end: () => {},
  };
  return sse as unknown as SseResponse;
}

/** A relay that counts who is subscribed. */
function countingRelay() {
  let subscribed = 0;
  return {
    subscribed: () => subscribed,
    subscribe: () => (subscribed++, () => void subscribed--),
  };
}

const options = { resumeFrom: 0, followRuntime: true, log: createLogger('test', 'silent') };

describe('DeploymentFeed of a viewer already gone (issue 32)', () => {
  it('reads no history and subscribes to nothing when the client left before its stream opened', async () => {
    const { reads, sources } = countingSources();
    const relay = countingRelay();
    await new DeploymentFeed(sources, fakeStream(true), 'dep_gone', options).start(relay);
    expect(reads).toEqual([]);
    expect(relay.subscribed()).toBe(0);
  });

  it('reads the history of a viewer still there', async () => {
    const { reads, sources } = countingSources();
    const relay = countingRelay();
    await new DeploymentFeed(sources, fakeStream(false), 'dep_here', options).start(relay);
    expect(reads).toEqual(['history', 'logs', 'store']);
    expect(relay.subscribed()).toBe(1);
  });
});
