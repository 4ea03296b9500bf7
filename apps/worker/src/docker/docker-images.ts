import type Docker from 'dockerode';
import { imageRepositoryPrefix } from '@berth/shared/docker-names';
import type { BuildImageOptions } from './container-runtime.ts';
import { buildImage } from './docker-build.ts';
import { ensureBuildNetwork } from './build-network.ts';
import { HostFirewall } from './host-firewall.ts';
import { removeWhenFree, statusCode, unavailable } from './docker-errors.ts';

/**
 * The images on this node's Docker: both runtimes build, tag and remove them
 * here (swarm mode then pushes them to its registry, swarm-registry.ts).
 */
export class DockerImages {
  constructor(
    private readonly docker: Docker,
    private readonly hostFirewall: HostFirewall = new HostFirewall(),
  ) {}

  /** Whether an image with this reference exists locally. */
  async exists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (err) {
      if (statusCode(err) === 404) return false;
      throw unavailable(err, `inspecting image ${ref}`);
    }
  }

  /** Builds; the build network is made sure of first (each time: someone may have removed it). */
  async build(options: BuildImageOptions): Promise<void> {
    if (options.network) {
      const bridge = await ensureBuildNetwork(this.docker, options.network);
      if (options.closeHostToNetwork) await this.hostFirewall.closeHostTo(bridge);
    }
    return buildImage(this.docker, options);
  }

  /** Image tags of this installation. */
  list(instance: string): Promise<string[]> {
    const prefix = imageRepositoryPrefix(instance);
    return this.listStartingWith(prefix, [`${prefix}*`]);
  }

  /** Local tags that start with `prefix` (`reference`: a filter that narrows the listing first, when one fits). */
  async listStartingWith(prefix: string, reference?: string[]): Promise<string[]> {
    try {
      const images = await this.docker.listImages(reference ? { filters: { reference } } : {});
      return images.flatMap((i) => i.RepoTags ?? []).filter((t) => t.startsWith(prefix));
    } catch (err) {
      throw unavailable(err, 'listing images');
    }
  }

  async remove(tag: string): Promise<void> {
    // 409: a container that is going away still uses it; give it a moment.
    await removeWhenFree(() => this.docker.getImage(tag).remove({ force: true }), `image ${tag}`, 30);
  }

  /** Gives an image a second tag; false when the source image is gone. */
  async tag(source: string, target: string): Promise<boolean> {
    const [repo, tag] = splitReference(target);
    try {
      await this.docker.getImage(source).tag({ repo, tag });
      return true;
    } catch (err) {
      if (statusCode(err) === 404) return false;
      throw unavailable(err, 'tagging an image');
    }
  }

  async labels(tag: string): Promise<Record<string, string>> {
    try {
      return (await this.docker.getImage(tag).inspect()).Config?.Labels ?? {};
    } catch (err) {
      if (statusCode(err) === 404) return {};
      throw unavailable(err, 'inspecting an image');
    }
  }

  async size(tag: string): Promise<number | undefined> {
    try {
      return (await this.docker.getImage(tag).inspect()).Size;
    } catch (err) {
      if (statusCode(err) === 404) return undefined;
      throw unavailable(err, 'inspecting an image');
    }
  }
}

/** `repo:tag` → [repo, tag] (the tag after the last colon that follows the last slash). */
function splitReference(ref: string): [string, string] {
  const colon = ref.lastIndexOf(':');
  return colon > ref.lastIndexOf('/') ? [ref.slice(0, colon), ref.slice(colon + 1)] : [ref, 'latest'];
}
