import type Docker from 'dockerode';
import type { DeploymentRow } from '@berth/shared/db';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { BerthError } from '@berth/shared/errors';
import { checkImageReference } from '@berth/shared/image-reference';
import type { ProjectStore } from '@berth/shared/project-store';
import { sealedPlace, type SecretBox } from '@berth/shared/secret-box';
import { withTag } from './build/base-image-pull.ts';
import { prebuiltRegistryProblem } from './build/prebuilt-image-policy.ts';
import type { WorkerConfig } from './config.ts';
import type { ContainerRuntime } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';

export interface PrebuiltImageDeps {
  docker: Docker;
  config: Pick<WorkerConfig, 'BERTH_REGISTRY' | 'IMAGE_ALLOW_LOCAL_REGISTRIES' | 'BUILD_TIMEOUT_MS'>;
  projects: Pick<ProjectStore, 'get'>;
  secrets: SecretBox;
  store: Pick<DeploymentStore, 'setCommit'>;
  runtime: Pick<ContainerRuntime, 'tagImage'>;
  toBuilding: (deploymentId: string) => Promise<unknown>;
}

/** What a registry or the daemon says when the credentials are missing or wrong. */
const authRefused = /unauthorized|authentication required|no basic auth credentials|denied|401/i;

/**
 * A prebuilt image (source_type image): pulled by the reference asked, always (never a local image
 * of that name: it may be another tenant's), then the digest this pull got is what runs, under the
 * deployment's own tag. The pulled names are untagged again, so no other project's build or pull
 * finds the image locally (a private image pulled with this project's credentials stays its own).
 */
export async function pullPrebuilt(deps: PrebuiltImageDeps, deployment: DeploymentRow, tag: string, log: LogSink, signal: AbortSignal): Promise<void> {
  const ref = withTag(deployment.source_image ?? '');
  const image = checkImageReference(ref);
  const problem = await prebuiltRegistryProblem(image, deps.config);
  if (problem) throw new BerthError('IMAGE_REFUSED', problem);
  await deps.toBuilding(deployment.id);
  const auth = await registryAuth(deps, deployment.project, image.registry);
  log.system(`pulling ${ref} (a prebuilt image: no build)${auth ? ` as ${auth.username}` : ''}`);
  const pulledDigest = await pull(deps, ref, auth, signal);
  const digest = image.digest ?? pulledDigest;
  if (!digest) throw new BerthError('IMAGE_PULL_FAILED', `pulling ${ref} reported no digest`);
  const pinned = `${image.repository}@${digest}`;
  const tagged = await deps.runtime.tagImage(pinned, tag);
  await Promise.all([ref, pinned].map((name) => deps.docker.getImage(name).remove({ noprune: true }).catch(() => {})));
  if (!tagged) throw new BerthError('IMAGE_PULL_FAILED', `${pinned} was gone right after its pull (pulled again meanwhile?); deploy again`);
  await deps.store.setCommit(deployment.id, digest, 'image_digest');
  log.system(`pulled ${ref}: ${digest}`);
}

async function registryAuth(deps: PrebuiltImageDeps, project: string, registry: string | undefined) {
  const row = await deps.projects.get(project);
  if (!row?.registry_auth_sealed) return undefined;
  const { username, password } = deps.secrets.open(row.registry_auth_sealed, sealedPlace(project, 'registryAuth'));
  return { username: username ?? '', password: password ?? '', serveraddress: registry ?? 'https://index.docker.io/v1/' };
}

/** Pulls `ref`; the digest the daemon reports (`Digest: sha256:…`). Failures become IMAGE_PULL_FAILED or IMAGE_PULL_UNAUTHORIZED. */
async function pull(deps: PrebuiltImageDeps, ref: string, auth: object | undefined, signal: AbortSignal): Promise<string | undefined> {
  let stream: NodeJS.ReadableStream | undefined;
  let timer: NodeJS.Timeout | undefined;
  const stop = () => (stream as unknown as { destroy?: () => void } | undefined)?.destroy?.();
  signal.addEventListener('abort', stop, { once: true });
  try {
    stream = (await deps.docker.pull(ref, auth ? { authconfig: auth } : {})) as NodeJS.ReadableStream;
    const output = await new Promise<{ status?: string; error?: string }[]>((resolve, reject) => {
      timer = setTimeout(() => reject(new Error(`the pull took longer than ${deps.config.BUILD_TIMEOUT_MS} ms`)), deps.config.BUILD_TIMEOUT_MS);
      deps.docker.modem.followProgress(stream!, (err: Error | null, out: { status?: string; error?: string }[]) => {
        const failed = err?.message ?? out.find((o) => o.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve(out);
      });
    });
    return output.map((o) => /^Digest: (sha256:[a-f0-9]{64})$/.exec(o.status ?? '')?.[1]).find(Boolean);
  } catch (err) {
    signal.throwIfAborted();
    const message = (err instanceof Error ? err.message : String(err)).replace(/^\(HTTP code \d+\) [a-z ]+ - /, '');
    if (authRefused.test(message)) {
      throw new BerthError('IMAGE_PULL_UNAUTHORIZED', `the registry refused to let ${ref} be pulled${auth ? ' with the project\'s credentials' : ' without credentials'}: ${message}`, { cause: err });
    }
    throw new BerthError('IMAGE_PULL_FAILED', `pulling ${ref} failed: ${message}`, { cause: err });
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}
