import { describe, expect, it } from 'vitest';
import type { BackupRow, ServiceRow } from '@berth/shared/db';
import { BerthError } from '@berth/shared/errors';
import { restoredEnvName, restoreIntoNewService, type RestoreIntoDeps } from '../../src/restore-into.ts';

const backup = { id: 'bkpaaaaaaaaaaaa', kind: 'backup', status: 'succeeded', service_id: 'svc1', service_type: 'redis' } as BackupRow;
const config = { BERTH_RUNTIME: 'docker' as const, MAX_SERVICES_PER_PROJECT: 5, BERTH_POSTGRES_IMAGE: 'postgres:16', BERTH_REDIS_IMAGE: 'redis:7' };

function fakes(source: Partial<ServiceRow> | undefined, createFails = false) {
  const calls: string[] = [];
  const deps: RestoreIntoDeps = {
    config,
    backups: {
      load: async () => backup,
      create: async (_p, name, kind, id, from) => {
        calls.push(`create ${kind} ${name} ${id} from ${from}`);
        if (createFails) throw new BerthError('CONFLICT', 'taken meanwhile');
        return { id: 'bkprestore00000' } as BackupRow;
      },
    },
    services: {
      byId: async () => source as ServiceRow | undefined,
      add: async (_p, s) => (calls.push(`add ${s.name} ${s.image} ${s.version} ${s.envName}`), { name: s.name } as ServiceRow),
      requestDelete: async (_p, name, data) => (calls.push(`delete ${name} data=${data}`), {} as ServiceRow),
    },
  };
  return { deps, calls };
}

describe('restoreIntoNewService', () => {
  it("makes the service with the backup's service's image, or the setting's once that service is gone", async () => {
    const kept = fakes({ image: 'redis:7.2' });
    await restoreIntoNewService(kept.deps, 'shop', 'cache', backup.id, { name: 'cache-copy' });
    expect(kept.calls).toEqual(['add cache-copy redis:7.2 7.2 CACHE_COPY_URL', `create restore cache-copy ${backup.id} from cache`]);
    const gone = fakes(undefined);
    await restoreIntoNewService(gone.deps, 'shop', 'cache', backup.id, { name: 'old', envName: 'OLD_REDIS' });
    expect(gone.calls[0]).toBe('add old redis:7 7 OLD_REDIS');
  });

  it('takes the new service away again, data and all, when its restore cannot be recorded', async () => {
    const { deps, calls } = fakes({ image: 'redis:7' }, true);
    await expect(restoreIntoNewService(deps, 'shop', 'cache', backup.id, { name: 'copy' })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(calls.at(-1)).toBe('delete copy data=true');
  });

  it('makes no service in swarm mode (NEEDS_DOCKER_RUNTIME, as adding one)', async () => {
    const { deps, calls } = fakes({ image: 'redis:7' });
    await expect(restoreIntoNewService({ ...deps, config: { ...config, BERTH_RUNTIME: 'swarm' } }, 'shop', 'cache', backup.id, { name: 'copy' })).rejects.toMatchObject({ code: 'NEEDS_DOCKER_RUNTIME' });
    expect(calls).toEqual([]);
  });

  it('names the variable after the service', () => {
    expect(restoredEnvName('db')).toBe('DB_URL');
    expect(restoredEnvName('old-db-2')).toBe('OLD_DB_2_URL');
  });
});
