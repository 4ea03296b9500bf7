import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BerthError } from '@berth/shared/errors';
import { nodeRuntimes } from '@berth/shared/node-runtimes';

/** Base images Berth can make offline: `berth/node:<major>` for each offered Node major. */
const nodeImage = /^berth\/node:(\d+)$/;

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
 * (the same script `npm run up` uses for the pinned major), once per image
 * even when several builds ask at the same time.
 */
export class ScriptNodeBaseImages implements BaseImages {
  private readonly making = new Map<string, Promise<void>>();

  constructor(
    private readonly imageExists: (ref: string) => Promise<boolean>,
    private readonly script: string = fileURLToPath(new URL('../../../../scripts/make-node-image.sh', import.meta.url)),
  ) {}

  async ensureFor(dockerfile: string, onLine: (line: string) => void, signal: AbortSignal): Promise<void> {
    for (const image of new Set(fromImages(dockerfile))) {
      const major = nodeImage.exec(image)?.[1];
      if (!major || (await this.imageExists(image))) continue;
      const runtime = nodeRuntimes.majors[major];
      if (!runtime) {
        throw new BerthError(
          'BUILD_FAILED',
          `${image} is not available: Berth offers berth/node:${Object.keys(nodeRuntimes.majors).join(', :')}`,
        );
      }
      onLine(`making base image ${image} from Node ${runtime.version} (first build that needs it on this machine)`);
      let making = this.making.get(image);
      if (!making) {
        making = this.run(major, signal).finally(() => this.making.delete(image));
        this.making.set(image, making);
      }
      await making;
      onLine(`base image ${image} is ready`);
    }
  }

  private run(major: string, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      execFile('bash', [this.script, major], { signal, timeout: 5 * 60_000 }, (err, _stdout, stderr) => {
        if (!err) return resolve();
        if (signal.aborted) return reject(err);
        const why = String(stderr).trim().split('\n').slice(-3).join(' ') || err.message;
        reject(new BerthError('BUILD_FAILED', `could not make base image berth/node:${major}: ${why}`, { cause: err }));
      });
    });
  }
}
