import { describe, expect, it } from 'vitest';
import {
  addTally,
  countRequest,
  emptyTally,
  latencyBoundsSeconds,
  latencyBucket,
  latencyBucketCount,
  quantileOf,
  statusClassOf,
} from '../../../src/app-metrics/request-histogram.ts';

describe('request histogram', () => {
  it('has bounds growing by √2 from a millisecond to about a minute, and one bucket past the last', () => {
    expect(latencyBoundsSeconds[0]).toBe(0.001);
    expect(latencyBoundsSeconds[2]).toBe(0.002);
    expect(latencyBoundsSeconds.at(-1)).toBe(65.536);
    expect(latencyBucketCount).toBe(latencyBoundsSeconds.length + 1);
    for (let i = 1; i < latencyBoundsSeconds.length; i++) expect(latencyBoundsSeconds[i]! / latencyBoundsSeconds[i - 1]!).toBeCloseTo(Math.SQRT2, 3);
  });

  it('puts a duration in the first bucket whose bound is at or above it', () => {
    expect(latencyBucket(0)).toBe(0);
    expect(latencyBucket(0.001)).toBe(0);
    expect(latencyBucket(0.0011)).toBe(1);
    expect(latencyBucket(0.3)).toBe(latencyBoundsSeconds.findIndex((b) => b >= 0.3));
    expect(latencyBoundsSeconds[latencyBucket(0.3)]).toBeCloseTo(0.362, 3);
    expect(latencyBucket(1000)).toBe(latencyBoundsSeconds.length);
  });

  it('counts status classes, leaving 1xx and odd codes in the total only', () => {
    const t = emptyTally();
    for (const status of [200, 204, 301, 404, 404, 503, 101, 999]) countRequest(t, status, 0.01);
    expect(t.requests).toBe(8);
    expect(t.status).toEqual({ '2xx': 2, '3xx': 1, '4xx': 2, '5xx': 1 });
    expect(statusClassOf(101)).toBeUndefined();
    expect(t.latency.reduce((a, b) => a + b, 0)).toBe(8);
  });

  it('reads a percentile as the upper bound of its bucket: never below the true value, at most √2 above', () => {
    const t = emptyTally();
    for (let i = 0; i < 90; i++) countRequest(t, 200, 0.004);
    for (let i = 0; i < 10; i++) countRequest(t, 200, 0.3);
    expect(quantileOf(t.latency, 0.5)).toBe(0.004);
    expect(quantileOf(t.latency, 0.9)).toBe(0.004);
    const p95 = quantileOf(t.latency, 0.95)!;
    expect(p95).toBeGreaterThanOrEqual(0.3);
    expect(p95).toBeLessThanOrEqual(0.3 * Math.SQRT2);
    expect(quantileOf(emptyTally().latency, 0.5)).toBeNull();
    const slow = emptyTally();
    countRequest(slow, 200, 120);
    expect(quantileOf(slow.latency, 0.5)).toBe(Infinity);
  });

  it('adds tallies bucket by bucket, so any intervals and routers combine', () => {
    const a = emptyTally();
    const b = emptyTally();
    countRequest(a, 200, 0.01);
    countRequest(b, 500, 0.01);
    countRequest(b, 200, 2);
    const sum = addTally(emptyTally(), a);
    addTally(sum, b);
    expect(sum.requests).toBe(3);
    expect(sum.status).toEqual({ '2xx': 2, '3xx': 0, '4xx': 0, '5xx': 1 });
    expect(sum.latency[latencyBucket(0.01)]).toBe(2);
    expect(sum.latency[latencyBucket(2)]).toBe(1);
  });
});
