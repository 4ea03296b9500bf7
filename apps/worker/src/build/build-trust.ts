import { createHash } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import Docker from 'dockerode';
import tarStream from 'tar-stream';
import { BerthError } from '@berth/shared/errors';
import { unavailable } from '../docker/docker-errors.ts';

/**
 * What builds get of the operator's network (issue 27): extra CA certificates
 * (a TLS-inspecting proxy's, a private registry's) and an HTTP(S) proxy.
 *
 * - The proxy goes in as Docker's predefined proxy build args, upper and lower
 *   case. Docker keeps those out of `docker history` and of the image's config,
 *   and a RUN step sees them as environment only while it runs; no generated
 *   Dockerfile declares them (an `ARG HTTP_PROXY` would put them in the history).
 * - The CA bundle: a generated build reads it from a tiny image of its own,
 *   `berth/build-ca:<hash of the bundle>` (one file, made here with `docker
 *   import`), by `COPY --from=` into the install stage; the running image is a
 *   stage of its own that never copies it. A Dockerfile of the app's own finds
 *   it at `.berth-build-ca.pem` in its build context and decides what to do
 *   with it (docs/builds.md).
 */
export interface BuildTrustSettings {
  BUILD_CA_FILE?: string | undefined;
  BUILD_HTTP_PROXY?: string | undefined;
  BUILD_HTTPS_PROXY?: string | undefined;
  BUILD_NO_PROXY?: string | undefined;
}

/** The bundle's name in the build context of an app's own Dockerfile. */
export const contextCaFile = '.berth-build-ca.pem';
/** Where generated builds' install and build stages have the bundle (NODE_EXTRA_CA_CERTS names it). */
export const buildCaPath = '/etc/berth/build-ca.pem';
const caImageRepository = 'berth/build-ca';

/** Docker's predefined proxy build args for the settings that are set (both cases: tools read either). */
export function proxyBuildArgs(settings: BuildTrustSettings): Record<string, string> {
  const out: Record<string, string> = {};
  const pairs = [
    ['HTTP_PROXY', settings.BUILD_HTTP_PROXY],
    ['HTTPS_PROXY', settings.BUILD_HTTPS_PROXY],
    ['NO_PROXY', settings.BUILD_NO_PROXY],
  ] as const;
  for (const [name, value] of pairs) {
    if (!value) continue;
    out[name] = value;
    out[name.toLowerCase()] = value;
  }
  return out;
}

/** The proxy URLs, whose credentials every build log masks. */
export function proxyUrls(settings: BuildTrustSettings): string[] {
  return [settings.BUILD_HTTP_PROXY, settings.BUILD_HTTPS_PROXY].filter((u): u is string => Boolean(u));
}

/** The bundle, read for each build (it may have been renewed); BUILD_FAILED when it cannot be used. */
export async function readBuildCa(file: string): Promise<Buffer> {
  let pem: Buffer;
  try {
    pem = await readFile(file);
  } catch (err) {
    throw new BerthError('BUILD_FAILED', `BUILD_CA_FILE ${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new BerthError('BUILD_FAILED', `BUILD_CA_FILE ${file} holds no PEM certificate`);
  return pem;
}

/** The one-file images generated builds copy the bundle from, made once per bundle. */
export class BuildCaImages {
  constructor(private readonly docker: Docker = new Docker()) {}

  async ensure(pem: Buffer): Promise<string> {
    const tag = createHash('sha256').update(pem).digest('hex').slice(0, 24);
    const ref = `${caImageRepository}:${tag}`;
    try {
      if (await this.exists(ref)) return ref;
      const pack = tarStream.pack();
      pack.entry({ name: 'ca.pem', mode: 0o644 }, pem);
      pack.finalize();
      const progress = await this.docker.importImage(pack as unknown as NodeJS.ReadableStream, { repo: caImageRepository, tag });
      await new Promise<void>((resolve, reject) => this.docker.modem.followProgress(progress, (err: unknown) => (err ? reject(err) : resolve())));
    } catch (err) {
      throw unavailable(err, `making the build CA image ${ref}`);
    }
    return ref;
  }

  private async exists(ref: string): Promise<boolean> {
    return this.docker
      .getImage(ref)
      .inspect()
      .then(
        () => true,
        (err: { statusCode?: number }) => {
          if (err.statusCode === 404) return false;
          throw err;
        },
      );
  }
}

let sharedCaImages: BuildCaImages | undefined;

/**
 * Before a build: the bundle where the build finds it (a context file for
 * an app's Dockerfile; the image for a generated one, returned), one log line
 * for each setting in use (never a proxy's address: it may hold a password).
 */
export async function prepareBuildTrust(
  settings: BuildTrustSettings,
  contextDir: string,
  hasDockerfile: boolean,
  onLine: (line: string) => void,
  caImages: BuildCaImages = (sharedCaImages ??= new BuildCaImages()),
): Promise<{ caImage?: string }> {
  const proxies = Object.keys(proxyBuildArgs(settings)).filter((n) => n === n.toUpperCase());
  if (proxies.length) onLine(`build proxy: ${proxies.join(', ')} (and lower case) from the worker's settings, as build args kept out of the image's history`);
  if (!settings.BUILD_CA_FILE) return {};
  const pem = await readBuildCa(settings.BUILD_CA_FILE);
  if (hasDockerfile) {
    // Removed first and written exclusively: a link of that name in the source must not redirect the write.
    const at = path.join(contextDir, contextCaFile);
    await rm(at, { recursive: true, force: true });
    await writeFile(at, pem, { flag: 'wx', mode: 0o644 });
    onLine(`build trust: the extra CA certificates of BUILD_CA_FILE are at ${contextCaFile} in the build context`);
    return {};
  }
  const caImage = await caImages.ensure(pem);
  onLine(`build trust: the install and build steps trust the extra CA certificates of BUILD_CA_FILE (${buildCaPath}; not in the running image)`);
  return { caImage };
}
