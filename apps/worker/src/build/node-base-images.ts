import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BerthError } from '@berth/shared/errors';
import { nodeRuntimes } from '@berth/shared/node-runtimes';
import { debianBaseImages } from './language-runtimes.ts';

/**
 * Base images Berth can make offline: `berth/node:<major>` for each offered
 * Node major, `berth/node:<major>-build` (the same with npm, for generated
 * Dockerfiles' install and build), the static server `berth/static:1`, and
 * the Python and Go images of language-runtimes.ts (from Debian's packages).
 */
const nodeImage = /^berth\/node:(\d+)(-build)?$/;
const staticImage = 'berth/static:1';
/** mmdebstrap downloads and unpacks a few hundred MB: 1.5 min on an idle machine, over 10 on a loaded one. */
const debianTimeoutMs = 20 * 60_000;

export interface BaseImages {
  /**
   * Makes sure every `berth/node:<major>` image the Dockerfile builds FROM
   * exists, making a missing one from the pinned Node binary of that major;
   * says so on `onLine`. Other images are left to the builder.
   */
  ensureFor(dockerfile: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void>;
}

/** The images a Dockerfile names in `FROM` (instructions are case-insensitive; flags and stage names skipped). */
export function fromImages(dockerfile: string): string[] {
  const images: string[] = [];
  for (const raw of dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const words = raw.trim().split(/\s+/);
    if (words[0]?.toUpperCase() !== 'FROM') continue;
    const image = words.slice(1).find((w) => !w.startsWith('--'));
    if (image) images.push(image);
  }
  return images;
}

/**
 * Makes missing `berth/node:<major>` images with scripts/make-node-image.sh
 * (the same script `npm run up` uses for the pinned major), and the static
 * server image with scripts/make-static-image.sh, and the Python and Go
 * images with scripts/make-debian-image.sh (only when a build first needs
 * one: Node-only machines never pay for them), once per image even when
 * several builds ask at the same time.
 */
export class ScriptNodeBaseImages implements BaseImages {
  private readonly making = new Map<string, Promise<void>>();

  constructor(
    private readonly imageExists: (ref: string) => Promise<boolean>,
    private readonly script: string = fileURLToPath(new URL('../../../../scripts/make-node-image.sh', import.meta.url)),
    private readonly staticScript: string = fileURLToPath(new URL('../../../../scripts/make-static-image.sh', import.meta.url)),
    private readonly debianScript: string = fileURLToPath(new URL('../../../../scripts/make-debian-image.sh', import.meta.url)),
  ) {}

  async ensureFor(dockerfile: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    for (const image of new Set(fromImages(dockerfile))) {
      if (image === staticImage) {
        if (await this.imageExists(image)) continue;
        onLine(`making the static server image ${image} from this host's Caddy (first build that needs it on this machine)`);
        await this.once(image, () => this.run(this.staticScript, [], image, signal));
        onLine(`base image ${image} is ready`);
        continue;
      }
      const packages = debianBaseImages[image];
      if (packages) {
        // The script runs even when the image exists (0.1 s): it remakes one made from other packages.
        const missing = !(await this.imageExists(image));
        if (missing) onLine(`making base image ${image} from Debian 12's packages ${packages.join(', ')} (first build that needs it on this machine: about 1.5 min)`);
        await this.once(image, () => this.run(this.debianScript, [image, ...packages], image, signal, debianTimeoutMs));
        if (missing) onLine(`base image ${image} is ready`);
        continue;
      }
      const match = nodeImage.exec(image);
      const major = match?.[1];
      if (!major || (await this.imageExists(image))) continue;
      const runtime = nodeRuntimes.majors[major];
      if (!runtime) {
        throw new BerthError(
          'BUILD_FAILED',
          `${image} is not available: Berth offers berth/node:${Object.keys(nodeRuntimes.majors).join(', :')}`,
        );
      }
      const args = match[2] ? [major, 'build'] : [major];
      onLine(`making base image ${image} from Node ${runtime.version}${match[2] ? ' and npm' : ''} (first build that needs it on this machine)`);
      await this.once(image, () => this.run(this.script, args, image, signal));
      onLine(`base image ${image} is ready`);
    }
  }

  private once(image: string, make: () => Promise<void>): Promise<void> {
    let making = this.making.get(image);
    if (!making) {
      making = make().finally(() => this.making.delete(image));
      this.making.set(image, making);
    }
    return making;
  }

  private run(script: string, args: string[], image: string, signal: AbortSignal, timeoutMs = 5 * 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile('bash', [script, ...args], { signal, timeout: timeoutMs }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        if (signal.aborted) return reject(err);
        const why = String(stderr).trim().split('\n').slice(-3).join(' ') || err.message;
        reject(new BerthError('BUILD_FAILED', `could not make base image ${image}: ${why}`, { cause: err }));
      });
    });
  }
}
