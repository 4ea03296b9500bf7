import type Docker from 'dockerode';
import type { ImageEngine, ImageFacts } from './base-image-policy.ts';

/** A pull that takes longer than this is given up (the build itself would have waited as long). */
const pullTimeoutMs = 10 * 60_000;

/**
 * What the base-image check reads of dockerode's Docker, and the pull it makes
 * before the build: a base image that is not local is pulled first, so its
 * labels and ONBUILD triggers are checked like a local one's, and the daemon
 * then builds from that very image (it does not pull again).
 */
export function dockerImageEngine(docker: Docker): ImageEngine {
  return {
    getImage: (ref) => ({ inspect: () => docker.getImage(ref).inspect() as Promise<ImageFacts> }),
    listImages: () => docker.listImages(),
    pull: (ref) => pullImage(docker, ref),
  };
}

/** `alpine` → `alpine:latest` (an Engine pull without a tag pulls every tag); tags and digests stay. */
export function withTag(ref: string): string {
  if (ref.includes('@')) return ref;
  return ref.lastIndexOf(':') > ref.lastIndexOf('/') ? ref : `${ref}:latest`;
}

/** Pulls `ref`; false when it cannot be pulled (not found, no credentials, no network, too slow). */
async function pullImage(docker: Docker, ref: string): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const stream = (await docker.pull(withTag(ref))) as NodeJS.ReadableStream;
    const done = new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
        const failed = err?.message ?? output.find((o) => o.error)?.error;
        if (failed) reject(new Error(failed));
        else resolve();
      });
    });
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('pull timed out')), pullTimeoutMs)));
    await Promise.race([done, late]);
    return true;
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
