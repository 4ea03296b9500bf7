import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';

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
}
