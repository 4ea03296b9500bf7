import { describe, expect, it } from 'vitest';
import type { ServiceRow } from '@berth/shared/db';
import { serviceReady } from '../../src/backups/service-ready.ts';

const row = (status: string, more: Partial<ServiceRow> = {}) => ({ id: 'svc1', name: 'copy', status, status_message: null, delete_requested: false, ...more }) as ServiceRow;

/** A service store whose row goes through these states, one per look. */
function store(...states: (ServiceRow | undefined)[]) {
  let looks = 0;
  return { byId: async () => states[Math.min(looks++, states.length - 1)], looks: () => looks };
}

describe('serviceReady (a restore into a service just made)', () => {
  it('waits while it is being made and starting, then gives it back', async () => {
    const services = store(row('starting'), row('running'));
    expect((await serviceReady(services, row('creating'), Date.now() + 5_000, 1)).status).toBe('running');
    expect(services.looks()).toBe(2);
  });

  it('does not wait for a service already up once (restoring into the same service)', async () => {
    const services = store();
    expect((await serviceReady(services, row('restarting'), Date.now() + 5_000, 1)).status).toBe('restarting');
    expect(services.looks()).toBe(0);
  });

  it('fails with its status message when it cannot start, or when it goes', async () => {
    await expect(serviceReady(store(row('failed', { status_message: 'image berth/pg:1 is missing' })), row('creating'), Date.now() + 5_000, 1)).rejects.toMatchObject({
      code: 'BACKUP_FAILED',
      message: 'service copy could not be started: image berth/pg:1 is missing',
    });
    await expect(serviceReady(store(undefined), row('creating'), Date.now() + 5_000, 1)).rejects.toMatchObject({ code: 'BACKUP_FAILED', message: 'service copy is gone' });
    await expect(serviceReady(store(row('creating', { delete_requested: true })), row('creating'), Date.now() + 5_000, 1)).rejects.toMatchObject({ code: 'BACKUP_FAILED' });
  });

  it('gives up at the deadline (BACKUP_TIMED_OUT)', async () => {
    await expect(serviceReady(store(row('starting')), row('creating'), Date.now() + 20, 5)).rejects.toMatchObject({ code: 'BACKUP_TIMED_OUT' });
  });
});
