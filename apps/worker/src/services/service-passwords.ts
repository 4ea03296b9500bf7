import type { Db } from '@berth/shared/db';
import type { SecretBox } from '@berth/shared/secret-box';
import { ServiceStore } from '@berth/shared/service-store';

/**
 * The passwords of a project's services, for its deployments' logs to mask like env values (an app
 * that prints its DATABASE_URL). One that does not open (the key changed) has nothing to mask.
 */
export async function servicePasswords(db: Db, secrets: SecretBox, project: string): Promise<string[]> {
  const store = new ServiceStore(db, secrets);
  return (await store.forProject(project)).flatMap((row) => {
    try {
      return [store.password(row)];
    } catch {
      return [];
    }
  });
}
