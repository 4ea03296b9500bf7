import type { DeploymentRow } from '@berth/shared/db';
import type { SecretBox } from '@berth/shared/secret-box';
import { maskableSecrets } from './log-sink.ts';

/**
 * What a deployment's log masks: the values of its env and build env, and
 * the credentials of its git URL, wherever they appear. A snapshot that does
 * not open (the key changed) has no value to mask; the pipeline then fails it.
 */
export function secretsToMask(box: SecretBox, deployment: DeploymentRow): string[] {
  const opened = (sealed: string | null, plain: Record<string, string>) => {
    try {
      return box.openOr(sealed, plain);
    } catch {
      return {};
    }
  };
  const buildEnv = opened(deployment.build_env_sealed, {});
  const env = opened(deployment.env_sealed, deployment.env);
  const values = Object.fromEntries([...Object.values(buildEnv), ...Object.values(env)].map((v, i) => [`V${i}`, v]));
  return maskableSecrets(values, deployment.git_url);
}
