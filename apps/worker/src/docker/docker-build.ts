import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { LineSplitter, maxRawLineLength } from '@berth/shared/log-line';
import { NewlineSplitter } from '@berth/shared/newline-splitter';
import { BuildStepError, type BuildImageOptions } from './container-runtime.ts';
import { removeWhenFree, statusCode, unavailable } from './docker-errors.ts';
import { scopedBuildContext } from './scoped-build-context.ts';

/** One JSON event of the daemon's build output. */
interface BuildEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string; code?: number };
  aux?: { ID?: string };
}

/**
 * Builds an image from a context directory, streaming its output as whole
 * lines; a failed step fails with `BuildStepError`, a build past its deadline
 * or aborted stops at once (its running step's container removed).
 */
export async function buildImage(docker: Docker, options: BuildImageOptions): Promise<void> {
  const deadline = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
  const stream = await requestBuild(docker, options, deadline);
  const output = new BuildOutput(options.onLine);
  try {
    await output.read(stream);
  } catch (err) {
    // Aborted (deadline, cancel): the daemon removes the running step's container (forcerm)
    // on its own time. Remove it now, so that the build is over, with its processes and
    // cgroup, when the deployment is reported failed.
    if (output.stepContainer) await removeStepContainer(docker, output.stepContainer);
    removeLeftoversLater(docker, output.layers, options.leftoverGraceMs);
    throw buildError(err, options, deadline);
  }
  try {
    output.finish();
  } catch (err) {
    // A failed step: the layers of the steps before it (the tenant's source among them)
    // would stay behind as untagged images.
    removeLeftoversLater(docker, output.layers, options.leftoverGraceMs);
    throw err;
  }
}

/**
 * Not at once: a build running beside this one may have just found one of
 * these layers in the cache and not yet started its next step on it (Docker
 * would let the removal through and that build would fail). After the grace
 * period such a build has built on the layer, and Docker refuses to remove it.
 * A worker that stops meanwhile leaves them (`docker image prune` clears them).
 */
function removeLeftoversLater(docker: Docker, ids: readonly string[], graceMs: number): void {
  if (ids.length === 0) return;
  setTimeout(() => void removeIntermediateImages(docker, ids), graceMs).unref();
}

/**
 * Removes the untagged images of a failed build's steps, newest first (a
 * parent goes once its child is gone). Never a tagged image (the base image,
 * another app's) nor one another image still builds on (Docker refuses that
 * without force): a layer cached for someone else stays.
 */
async function removeIntermediateImages(docker: Docker, ids: readonly string[]): Promise<void> {
  for (const id of [...new Set(ids)].reverse()) {
    try {
      const info = await docker.getImage(id).inspect();
      if ((info.RepoTags ?? []).some((t) => t !== '<none>:<none>')) continue;
      await docker.getImage(id).remove({ noprune: true });
    } catch {
      // gone already, or still a parent of another image: either way not ours to force
    }
  }
}

/** Sends the context and the build options; the answer is the stream of build events. */
async function requestBuild(docker: Docker, options: BuildImageOptions, deadline: AbortSignal): Promise<NodeJS.ReadableStream> {
  // The Dockerfile as the daemon gets it is scoped to the project: no layer cache shared between tenants.
  const context = await scopedBuildContext(options.contextDir, options.dockerfile, options.cacheScope);
  try {
    return await docker.buildImage(context, {
      t: options.tag,
      ...(options.buildArgs && Object.keys(options.buildArgs).length ? { buildargs: options.buildArgs } : {}),
      dockerfile: options.dockerfile,
      labels: options.labels,
      ...(options.network ? { networkmode: options.network } : {}),
      // forcerm: the daemon removes a failed step's container too (also when the client aborts).
      rm: true,
      forcerm: true,
      // Limits for every RUN step's container. memswap = memory: no swap on top, so a step
      // that allocates without bound is OOM-killed (exit 137) instead of thrashing the host.
      memory: options.limits.memoryBytes,
      memswap: options.limits.memoryBytes,
      cpuperiod: 100_000,
      cpuquota: Math.round(options.limits.cpus * 100_000),
      ...(options.limits.cgroupParent ? { cgroupparent: options.limits.cgroupParent } : {}),
      abortSignal: deadline,
    } as Docker.ImageBuildOptions);
  } catch (err) {
    throw buildError(err, options, deadline);
  }
}

/**
 * Whether a failed build's message says a cache layer it stood on (or was
 * looking through) was removed meanwhile: another deployment's image went away
 * between two steps, taking its untagged parents with it. The daemon words it
 * three ways: the parent of a step (`unknown parent image ID`), the image of a
 * step (`No such image: sha256:`), and a sibling it compared while looking for
 * a cache hit (`unable to find image "sha256:`, from its cache lookup).
 */
export function cacheChangedUnderBuild(message: string): boolean {
  return /unknown parent image ID|No such image: sha256:|unable to find image "sha256:/i.test(message);
}

/** The build's event stream read into output lines, the running step's container and the failure, if any. */
class BuildOutput {
  // The daemon answers 200 even when the build fails: the error is an event. Events are
  // never cut (a 1 MB output line arrives as one 1 MB JSON event); only one beyond 64 MiB is
  // dropped, so a hostile build cannot exhaust memory.
  private readonly events = new NewlineSplitter({ maxPending: 64 * 1024 * 1024, overflow: 'drop' });
  // Whole lines: the log sink masks secrets, then cuts them to the stored size.
  private readonly output = new LineSplitter(maxRawLineLength);
  private failure: { message: string; code: number | undefined } | undefined;
  /** The container of the step running now (to remove it when the build is aborted). */
  stepContainer: string | undefined;
  /** The image of each finished step (` ---> <id>`), in order: what a failed build leaves behind. */
  readonly layers: string[] = [];
  private nextIsCached = false;

  constructor(private readonly onLine: (line: string, continues?: boolean) => void) {}

  async read(stream: NodeJS.ReadableStream): Promise<void> {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (const raw of this.events.push(chunk.toString('utf8'))) this.handle(raw);
    }
    for (const raw of this.events.flush()) this.handle(raw);
  }

  /** After the stream ended: the last partial line, then the failure the daemon reported. */
  finish(): void {
    for (const piece of this.output.flushPieces()) this.onLine(piece.line, piece.continues);
    if (this.failure && cacheChangedUnderBuild(this.failure.message)) {
      // A cache layer this build stood on was removed meanwhile (another deployment's image went
      // away between two steps): not the app's fault, and another attempt rebuilds the layer.
      throw new BerthError('DOCKER_UNAVAILABLE', `the build cache changed under the build (${this.failure.message}); trying again`);
    }
    if (this.failure) throw new BuildStepError(`image build failed: ${this.failure.message}`, this.failure.code);
  }

  private handle(raw: string): void {
    if (!raw.trim()) return;
    let event: BuildEvent;
    try {
      event = JSON.parse(raw) as BuildEvent;
    } catch {
      return;
    }
    if (event.stream) {
      this.stepContainer = /---> Running in ([0-9a-f]{12,64})/.exec(event.stream)?.[1] ?? this.stepContainer;
      for (const line of event.stream.split('\n')) {
        // A cached layer was made by an earlier build (maybe one still running): not ours.
        if (line.includes('---> Using cache')) this.nextIsCached = true;
        const id = /^ ---> ([0-9a-f]{12,64})\s*$/.exec(line)?.[1];
        if (!id) continue;
        if (!this.nextIsCached) this.layers.push(id);
        this.nextIsCached = false;
      }
      for (const piece of this.output.pushPieces(event.stream)) this.onLine(piece.line, piece.continues);
    }
    if (event.status) this.onLine(event.status);
    if (event.error) this.failure = { message: event.errorDetail?.message ?? event.error, code: event.errorDetail?.code };
  }
}

async function removeStepContainer(docker: Docker, id: string): Promise<void> {
  await removeWhenFree(() => docker.getContainer(id).remove({ force: true }), `build container ${id}`, 50).catch(() => {});
}

function buildError(err: unknown, options: BuildImageOptions, deadline: AbortSignal): Error {
  if (options.signal.aborted) return err instanceof Error ? err : new Error(String(err));
  if (deadline.aborted) {
    return new BerthError('BUILD_FAILED', `image build did not finish within ${options.timeoutMs} ms`);
  }
  const code = statusCode(err);
  if (code !== undefined && code >= 400 && code < 500) {
    const message = err instanceof Error ? err.message : String(err);
    return new BerthError('BUILD_FAILED', `image build failed: ${message}`, { cause: err });
  }
  return unavailable(err, 'building the image');
}
