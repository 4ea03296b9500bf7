import { expect, it } from 'vitest';
import { OpenStreams } from '../../src/sse/open-streams.ts';
import type { SseResponse } from '../../src/sse/sse-response.ts';

/** A stream as OpenStreams uses one: it can be closed, and tells who asked. */
function stream() {
  const handlers: (() => void)[] = [];
  const s = { onClose: (h: () => void) => void handlers.push(h), send: () => {}, end: () => handlers.splice(0).forEach((h) => h()) };
  return s as unknown as SseResponse & { end(): void };
}

it('runs the work done for open streams only while one is open (an idle API keeps no timer for them)', () => {
  const streams = new OpenStreams();
  let running = 0;
  let started = 0;
  streams.whileOpen(() => {
    running++;
    started++;
    return () => running--;
  });
  expect(running).toBe(0);
  const [a, b] = [stream(), stream()];
  streams.add(a, 'token-1');
  streams.add(b, 'token-2');
  expect([running, started]).toEqual([1, 1]);
  a.end();
  expect(running).toBe(1);
  b.end();
  expect(running).toBe(0);
  streams.add(stream(), 'token-1');
  expect([running, started]).toEqual([1, 2]);
  streams.endAll();
  expect(running).toBe(0);
});
