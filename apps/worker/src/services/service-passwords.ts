import type { Db } from '@berth/shared/db';
import type { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';

/**
 * The passwords of a project's services, for its logs (a deployment's, a run's) to mask like env
 * values: an app or a command that prints its DATABASE_URL. One that does not open (the key
 * changed) has nothing to mask.
 */
export async function passwordsOf(store: Pick<ServiceStore, 'forProject' | 'password'>, project: string): Promise<string[]> {
  return (await store.forProject(project)).flatMap((row) => {
    try {
      return [store.password(row)];
    } catch {
      return [];
    }
  });
}

/** `passwordsOf` with a store made for the call (the deployment runner has no service store of its own). */
export function servicePasswords(db: Db, secrets: SecretBox, project: string): Promise<string[]> {
  return passwordsOf(new ServiceStore(db, secrets), project);
}
