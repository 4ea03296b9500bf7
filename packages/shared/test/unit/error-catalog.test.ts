import { describe, expect, it } from 'vitest';
import { BerthError, errorCatalog, errorCodes, type ErrorSpec } from '../../src/errors.ts';

describe('the error catalog', () => {
  it('gives every code a valid HTTP error status or an explicit null, a retryability and a description', () => {
    expect(errorCodes.length).toBeGreaterThan(40);
    for (const code of errorCodes) {
      const spec: ErrorSpec = errorCatalog[code];
      expect(code, code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
      expect(Object.keys(spec).sort(), code).toEqual(['description', 'retryable', 'status']);
      if (spec.status !== null) {
        expect(Number.isInteger(spec.status), code).toBe(true);
        expect(spec.status, code).toBeGreaterThanOrEqual(400);
        expect(spec.status, code).toBeLessThanOrEqual(599);
      }
      expect(typeof spec.retryable, code).toBe('boolean');
      expect(spec.description.length, code).toBeGreaterThan(10);
      expect(spec.description, code).not.toMatch(/\n|\|/); // one table cell in docs/errors.md
    }
  });

  it('answers every request error with a status and leaves only pipeline failures without one', () => {
    for (const code of ['VALIDATION_FAILED', 'NOT_FOUND', 'UNAUTHORIZED', 'DASHBOARD_NOT_BUILT', 'INTERNAL'] as const) {
      expect(errorCatalog[code].status, code).not.toBeNull();
    }
    expect(errorCatalog.INTERNAL.status).toBe(500);
    expect(errorCatalog.BUILD_FAILED.status).toBeNull();
  });

  it('gives a BerthError the retryability of its code', () => {
    expect(new BerthError('DOCKER_UNAVAILABLE', 'x').retryable).toBe(true);
    expect(new BerthError('BUILD_FAILED', 'x').retryable).toBe(false);
  });

  it('is exhaustive at compile time (`tsc` checks the lines marked @ts-expect-error)', () => {
    // A code the catalog does not have is no ErrorCode.
    // @ts-expect-error: NOT_A_CODE is not in the catalog
    expect(() => new BerthError('NOT_A_CODE', 'x')).toThrow(TypeError);
    // An entry without a status (or with a typo'd field) does not satisfy the catalog's shape.
    // @ts-expect-error: status is missing
    const noStatus = { NEW_CODE: { retryable: false, description: 'new' } } satisfies Record<string, ErrorSpec>;
    // @ts-expect-error: "stauts" is no field of an entry
    const typo = { NEW_CODE: { stauts: 400, status: 400, retryable: false, description: 'new' } } satisfies Record<string, ErrorSpec>;
    // @ts-expect-error: 4040 is no HTTP error status
    const badStatus = { NEW_CODE: { status: 4040, retryable: false, description: 'new' } } satisfies Record<string, ErrorSpec>;
    expect([noStatus, typo, badStatus]).toHaveLength(3);
  });
});
