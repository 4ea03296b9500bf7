import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';

/** What a registry may hold under a tag: the manifest HEAD must accept all, or it answers 404 for some. */
const manifestTypes = [
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
].join(', ');
const requestTimeoutMs = 10_000;

/** The registry every swarm node pulls the images from, and how this node signs in to it. */
export class SwarmRegistry {
  constructor(
    private readonly engine: Docker,
    readonly address: string,
    private readonly credentials?: { username: string; password: string },
  ) {}

  /** X-Registry-Auth: the credentials when there are some, else the registry's address alone. */
  get auth(): Record<string, string> {
    return { ...this.credentials, serveraddress: this.address };
  }

  /** Pushes the image; the registry's own error (down, refused, unauthorized) becomes IMAGE_PUSH_FAILED. */
  async push(ref: string): Promise<void> {
    try {
      const stream = (await this.engine.getImage(ref).push({ authconfig: this.auth })) as NodeJS.ReadableStream;
      await new Promise<void>((resolve, reject) => {
        this.engine.modem.followProgress(stream, (err: Error | null, output: { error?: string }[]) => {
          const failed = err?.message ?? output.find((o) => o.error)?.error;
          if (failed) reject(new Error(failed));
          else resolve();
        });
      });
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      throw new BerthError('IMAGE_PUSH_FAILED', `pushing ${ref} to ${this.address} failed: ${message}`, { cause: err });
    }
  }

  /**
   * Deletes the registry's copy `ref` (`<address>/<repository>:<tag>`) by its manifest digest, so
   * nobody can pull a reaped app's image any more (its blobs go at the registry's next
   * garbage-collect). Gone already is fine; a registry that does not allow deletes, or does not
   * answer, throws (the reaper tries again on its next pass).
   */
  async deleteCopy(ref: string): Promise<void> {
    const path = ref.slice(this.address.length + 1);
    const colon = path.lastIndexOf(':');
    const [repository, tag] = colon > path.lastIndexOf('/') ? [path.slice(0, colon), path.slice(colon + 1)] : [path, 'latest'];
    const base = `${this.scheme}://${this.address}/v2/${repository}/manifests`;
    const auth: Record<string, string> = this.credentials ? { authorization: `Basic ${Buffer.from(`${this.credentials.username}:${this.credentials.password}`).toString('base64')}` } : {};
    const head = await this.call(`${base}/${tag}`, 'HEAD', { ...auth, accept: manifestTypes });
    if (head.status === 404) return;
    const digest = head.headers.get('docker-content-digest');
    if (!head.ok || !digest) throw this.deleteFailed(ref, `the manifest lookup answered ${head.status}${head.ok ? ' without a digest' : ''}`);
    const deleted = await this.call(`${base}/${digest}`, 'DELETE', auth);
    if (deleted.status === 202 || deleted.status === 404) return;
    const why = deleted.status === 405 ? 'the registry does not allow deletes (set storage.delete.enabled: true in its config)' : `DELETE answered ${deleted.status}`;
    throw this.deleteFailed(ref, why);
  }

  /** Plain HTTP on loopback (as Docker itself talks to a loopback registry), HTTPS elsewhere. */
  private get scheme(): 'http' | 'https' {
    return /^(127\.|localhost[:/]|\[::1\])/.test(this.address) ? 'http' : 'https';
  }

  private async call(url: string, method: string, headers: Record<string, string>): Promise<Response> {
    try {
      return await fetch(url, { method, headers, signal: AbortSignal.timeout(requestTimeoutMs) });
    } catch (err) {
      throw this.deleteFailed(url, err instanceof Error ? err.message : String(err));
    }
  }

  private deleteFailed(ref: string, why: string): BerthError {
    return new BerthError('DOCKER_UNAVAILABLE', `deleting the registry copy ${ref} from ${this.address} failed: ${why}`);
  }
}
