import { describe, expect, it } from 'vitest';
import type { Deployment } from '@berth/client/types';
import { applyStatus } from '../../src/live.ts';
import { keys, newQueryClient } from '../../src/queries.ts';

const deployment = (id: string, status: Deployment['status']) => ({ id, status, errorCode: null, errorMessage: null, current: false }) as unknown as Deployment;

describe('applyStatus (a status event written into the query cache)', () => {
  it('patches the deployment and every cached list holding it, and leaves the others and absent entries alone', () => {
    const queries = newQueryClient();
    queries.setQueryData(keys.deployment('a'), deployment('a', 'building'));
    queries.setQueryData(keys.deployments({ limit: 100 }), { items: [deployment('a', 'building'), deployment('b', 'running')] });
    queries.setQueryData(keys.deployments({ limit: 100, status: 'building' }), { items: [deployment('a', 'building')] });

    applyStatus(queries, { deploymentId: 'a', status: 'failed', errorCode: 'BUILD_FAILED', errorMessage: 'exit 1', at: 't' });

    expect(queries.getQueryData<Deployment>(keys.deployment('a'))).toMatchObject({ status: 'failed', errorCode: 'BUILD_FAILED', errorMessage: 'exit 1' });
    const all = queries.getQueryData<{ items: Deployment[] }>(keys.deployments({ limit: 100 }))!;
    expect(all.items.map((d) => [d.id, d.status])).toEqual([['a', 'failed'], ['b', 'running']]);
    expect(queries.getQueryData<{ items: Deployment[] }>(keys.deployments({ limit: 100, status: 'building' }))!.items[0]!.status).toBe('failed');

    applyStatus(queries, { deploymentId: 'never-seen', status: 'running', errorCode: null, errorMessage: null, at: 't' });
    expect(queries.getQueryData(keys.deployment('never-seen'))).toBeUndefined();
    queries.clear();
  });
});
