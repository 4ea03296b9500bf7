import { describe, expect, it } from 'vitest';
import {
  assertTransition,
  canTransition,
  deploymentStatuses,
  IllegalTransitionError,
  isFinal,
  isInFlight,
  isLive,
  isRoutable,
  mayChangeRoutes,
  statusesWhere,
} from '../../src/deployment-state.ts';

describe('deployment state machine', () => {
  it('follows the lifecycle in ARCHITECTURE.md', () => {
    const happy = ['queued', 'fetching', 'building', 'starting', 'running', 'stopped'] as const;
    for (let i = 1; i < happy.length; i++) expect(canTransition(happy[i - 1]!, happy[i]!)).toBe(true);
    expect(canTransition('running', 'crashed')).toBe(true);
    for (const from of ['queued', 'fetching', 'building', 'starting'] as const) {
      expect(canTransition(from, 'failed')).toBe(true);
      expect(canTransition(from, 'canceled')).toBe(true);
    }
  });

  it('never leaves a final state', () => {
    for (const from of deploymentStatuses.filter(isFinal)) {
      for (const to of deploymentStatuses) expect(canTransition(from, to)).toBe(false);
    }
  });

  it('rejects skipping steps and going backwards with a typed error', () => {
    expect(() => assertTransition('queued', 'running')).toThrow(IllegalTransitionError);
    expect(() => assertTransition('running', 'building')).toThrow('illegal deployment transition running → building');
    expect(() => assertTransition('failed', 'queued')).toThrow(IllegalTransitionError);
  });

  it('classifies every status as final, in progress, or live', () => {
    expect(deploymentStatuses.filter(isFinal)).toEqual(['stopped', 'failed', 'canceled']);
    expect(deploymentStatuses.filter(isInFlight)).toEqual(['queued', 'fetching', 'building', 'starting']);
    expect(statusesWhere(isLive)).toEqual(['running', 'crashed']);
    expect(statusesWhere(isRoutable)).toEqual(['starting', 'running']);
    expect(statusesWhere(mayChangeRoutes)).toEqual(['starting', 'running', 'stopped', 'crashed', 'failed', 'canceled']);
  });
});
