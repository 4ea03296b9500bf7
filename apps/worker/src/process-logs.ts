import { containerName } from '@berth/shared/docker-names';
import type { LogStore } from '@berth/shared/log-store';
import type { Logger } from '@berth/shared/logger';
import type { ContainerRuntime, RuntimeLine } from './docker/container-runtime.ts';
import type { LogSink } from './log-sink.ts';
import { stampMicros } from './log-timestamps.ts';

export interface ProcessLogsDeps {
  runtime: ContainerRuntime;
  logs: LogStore;
  logger: Logger;
  instance: string;
}

/**
 * The output of a deployment's processes besides web (docker mode, process-containers.ts), copied
 * into its runtime log next to the web container's, each line tagged with its process: `[worker.1] …`.
 * Runs while the deployment's runtime log pump does (same sink, same signal); `refresh` (at the start
 * and on each engine event of the deployment) follows a process container not followed yet, from
 * where its output was last copied (at first: after the deployment's newest stored runtime line).
 */
export class ProcessLogs {
  private readonly followed = new Set<string>();
  /** Per container, the stamp of the newest line copied. */
  private readonly copied = new Map<string, bigint>();
  private start: bigint | undefined;

  constructor(
    private readonly deps: ProcessLogsDeps,
    private readonly deploymentId: string,
    private readonly sink: LogSink,
    private readonly signal: AbortSignal,
  ) {}

  refresh(): void {
    if (this.signal.aborted) return;
    this.scan().catch((err: unknown) => this.deps.logger.warn({ err, deploymentId: this.deploymentId }, 'following process output failed'));
  }

  private async scan(): Promise<void> {
    const { runtime, logs, instance } = this.deps;
    this.start ??= (await logs.resumePoint(this.deploymentId, 'runtime'))?.micros ?? -1n;
    const found = await runtime.listAll(instance);
    for (const c of found) {
      if (c.deploymentId !== this.deploymentId || !c.process || !c.running || this.followed.has(c.name)) continue;
      void this.follow(c.name);
    }
  }

  private async follow(name: string): Promise<void> {
    this.followed.add(name);
    // `<app container>-worker-2` → `worker.2`
    const tag = name.slice(containerName(this.deps.instance, this.deploymentId).length + 1).replace(/-(\d+)$/, '.$1');
    const after = this.copied.get(name) ?? this.start ?? -1n;
    const continuing = new Set<string>();
    const onLine = ({ ts, line, source = 'stdout', continues = false }: RuntimeLine) => {
      const micros = stampMicros(ts);
      if (micros <= after) return;
      const key = `${tag}/${source}`;
      // The tag goes before a line's first piece only: the sink joins the pieces of a cut line.
      const text = continuing.has(key) ? line : `[${tag}] ${line}`;
      if (continues) continuing.add(key);
      else continuing.delete(key);
      this.sink.write('runtime', text, ts, { source: key, continues });
      this.copied.set(name, micros);
    };
    try {
      await this.deps.runtime.followLogs(name, { sinceSeconds: after < 0n ? 0 : Number(after / 1_000_000n), signal: this.signal, onLine });
      await this.sink.flush();
    } catch (err) {
      this.deps.logger.warn({ err, deploymentId: this.deploymentId, container: name }, 'following a process container failed');
    } finally {
      this.followed.delete(name);
    }
  }
}
