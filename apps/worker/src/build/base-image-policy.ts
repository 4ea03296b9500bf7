import Docker from 'dockerode';
import { labels } from '@berth/shared/labels';
import {
  assertSafeDockerfile,
  checkTriggers,
  imageSources,
  throwIfAny,
  type BuildArgs,
  type DockerfileViolation,
  type ImageSource,
} from './dockerfile-policy.ts';
import { localRegistryProblem } from './registry-host-policy.ts';
import { dockerImageEngine } from './base-image-pull.ts';

/**
 * The images a build will read, checked for what they ARE rather than how the
 * Dockerfile spells them (dockerfile-policy.ts checks the spelling):
 *
 * - an image carrying Berth's app labels, or whose id is the id of an app image
 *   (`berth-<instance>/…`, or its swarm registry copy `<registry>/<instance>/…`),
 *   is another app's files and baked-in secrets: refused, whatever name reached it
 *   (`FROM 127.0.0.1:5000/main/<id>`, a second tag, `${BASE}` from the build env);
 * - a FROM image's ONBUILD triggers run in this build as if they were lines of
 *   this Dockerfile (`ONBUILD ADD http://127.0.0.1:2019/…` is fetched by the
 *   daemon on the host): each is checked like a Dockerfile line.
 *
 * An image that is not here is refused when it would be pulled from a
 * registry on this host or Berth's own registry, which holds the swarm copies
 * of app images (registry-host-policy.ts); otherwise it is pulled first
 * (base-image-pull.ts) and checked like a local one. One that cannot be pulled
 * is left to the daemon, whose own pull fails the build.
 */
export interface ImageFacts {
  Id: string;
  RepoTags?: string[] | null;
  Config?: { Labels?: Record<string, string> | null; OnBuild?: string[] | null } | null;
}

/** What the check reads of the engine: dockerode's Docker (base-image-pull.ts), or a fake in unit tests. */
export interface ImageEngine {
  getImage(ref: string): { inspect(): Promise<ImageFacts> };
  listImages(): Promise<{ Id: string; RepoTags?: string[] | null }[]>;
  /** Pulls an image that is not local; false when it cannot be pulled. Without it, such an image is left to the daemon. */
  pull?(ref: string): Promise<boolean>;
}

export interface BuildImageSettings {
  /** Swarm mode: the registry app images are copied to (`host:port`). */
  BERTH_REGISTRY?: string | undefined;
}

const appLabels = [labels.deployment, labels.project];
let sharedEngine: ImageEngine | undefined;

/** Throws UNSAFE_DOCKERFILE when the Dockerfile's text, or an image it reads, is refused. */
export async function assertSafeBuild(
  dockerfile: string,
  buildArgs: BuildArgs,
  settings: BuildImageSettings,
  engine: ImageEngine = (sharedEngine ??= dockerImageEngine(new Docker())),
): Promise<void> {
  assertSafeDockerfile(dockerfile, buildArgs);
  const check = new ImageCheck(engine, settings);
  const violations: DockerfileViolation[] = [];
  for (const source of imageSources(dockerfile, buildArgs)) violations.push(...(await check.source(source)));
  throwIfAny(violations, (v) => `Dockerfile line ${v.line}: ${v.message}`);
}

class ImageCheck {
  private appIds: Promise<Set<string>> | undefined;

  constructor(
    private readonly engine: ImageEngine,
    private readonly settings: BuildImageSettings,
  ) {}

  async source(source: ImageSource): Promise<DockerfileViolation[]> {
    const refuse = (message: string) => [{ line: source.line, message: `${source.written}: ${message}` }];
    const { facts, problem } = await this.resolve(source.ref);
    if (problem) return refuse(problem);
    if (!facts || source.kind !== 'FROM') return [];
    // The triggers run in this build: checked as its lines, their COPY --from images like its own.
    const triggers = checkTriggers(facts.Config?.OnBuild ?? []);
    const out = triggers.violations.flatMap((v) => refuse(`the image's trigger is refused: ${v.message}`));
    for (const inner of triggers.sources) {
      const innerProblem = (await this.resolve(inner.ref)).problem;
      if (innerProblem) out.push(...refuse(`the image's trigger is refused: ${inner.written}: ${innerProblem}`));
    }
    return out;
  }

  /**
   * The local image `ref` names and why it may not be read, if it may not. One that is not here
   * is pulled by the daemon: refused when its registry is this host or Berth's own (registry-host-policy.ts).
   */
  private async resolve(ref: string): Promise<{ facts?: ImageFacts; problem?: string }> {
    if (this.isAppTag(ref)) return { problem: 'building from a Berth app image (or its registry copy) is not allowed' };
    let facts = await this.inspect(ref);
    if (!facts) {
      const problem = await localRegistryProblem(ref, this.settings.BERTH_REGISTRY);
      if (problem) return { problem };
      // Pulled first, then checked like a local image; one that cannot be pulled fails the daemon's pull too.
      facts = (await this.engine.pull?.(ref)) ? await this.inspect(ref) : undefined;
      if (!facts) return {};
    }
    const problem = await this.appImageProblem(facts);
    return problem ? { facts, problem } : { facts };
  }

  /** The image as the daemon would resolve `ref` locally; undefined when it is not here (or not a valid name). */
  private async inspect(ref: string): Promise<ImageFacts | undefined> {
    try {
      return await this.engine.getImage(ref).inspect();
    } catch (err) {
      const status = (err as { statusCode?: number }).statusCode;
      if (status === 404 || status === 400) return undefined;
      throw err;
    }
  }

  private async appImageProblem(facts: ImageFacts): Promise<string | undefined> {
    const carried = appLabels.filter((l) => facts.Config?.Labels?.[l] !== undefined);
    if (carried.length) return `the image carries Berth's app labels (${carried.join(', ')}): building from an app's image is not allowed`;
    const tag = (facts.RepoTags ?? []).find((t) => this.isAppTag(t));
    if (tag || (await this.appImageIds()).has(facts.Id)) {
      return `the image is a Berth app image${tag ? ` (${tag})` : ''}: building from an app's image is not allowed`;
    }
    return undefined;
  }

  /** Ids of every local app image, of any installation, and of their registry copies. */
  private appImageIds(): Promise<Set<string>> {
    this.appIds ??= this.engine
      .listImages()
      .then((images) => new Set(images.filter((i) => (i.RepoTags ?? []).some((t) => this.isAppTag(t))).map((i) => i.Id)));
    return this.appIds;
  }

  /** `berth-<instance>/…` (an app image's tag) or `<registry>/…` (its swarm registry copy). */
  private isAppTag(tag: string): boolean {
    const name = tag.toLowerCase().replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
    const registry = this.settings.BERTH_REGISTRY?.toLowerCase();
    return /^berth-[^/]*\//.test(name) || (registry !== undefined && name.startsWith(`${registry}/`));
  }
}
