import net from 'node:net';
import { chmodSync, rmSync } from 'node:fs';
import { countRequest, emptyTally, statusClassOf, type RequestTally } from '@berth/shared/app-metrics/request-histogram';
import type { DeploymentTally } from '@berth/shared/app-metrics/request-metric-store';
import type { Logger } from '@berth/shared/logger';
import type { RouterMetrics } from '@berth/shared/metrics';
import { NewlineSplitter } from '@berth/shared/newline-splitter';
import { everySharedTick } from '@berth/shared/shared-ticker';

/** Whose requests a host's are. */
export interface HostOwner {
  deploymentId: string;
  project: string;
}

export interface AccessLogReceiverDeps {
  /** Where to listen: `host:port` (port 0: any free one) or `unix//<path>`. */
  listen: string;
  intervalMs: number;
  /** Writes one interval's tallies (RequestMetricStore.insert). */
  write: (rows: readonly DeploymentTally[]) => Promise<void>;
  metrics: Pick<RouterMetrics, 'appRequests' | 'appRequestDuration'>;
  logger: Logger;
  /**
   * After each read, how long a connection is left unread (default 25 ms): Caddy writes one line per
   * request, so reading as lines come costs a wake-up and a read each; paused, the kernel queues them
   * and one read takes all that came meanwhile. 0 reads at once.
   */
  readPauseMs?: number;
}

/** What the access log writer sends per request, after the filter encoder (caddy-access-log.ts). */
interface AccessLine {
  request?: { host?: string };
  status?: number;
  duration?: number;
}

/** How long a connection is left unread after each read (AccessLogReceiverDeps.readPauseMs). */
const defaultReadPauseMs = 25;

/** A read this long filled libuv's 64 KiB buffer (the lines are ASCII): the kernel holds more. */
const fullReadChars = 60 * 1024;

/** A line longer than this is not one of Caddy's filtered access lines. */
const maxLine = 16 * 1024;

/**
 * Receives Caddy's access log (one JSON line per request to an app host),
 * counts each request into its deployment's tally for the interval and into
 * the project's Prometheus families, and writes the tallies every interval.
 * Hosts no app answers at (the 404 page) are not counted.
 */
export class AccessLogReceiver {
  private server: net.Server | undefined;
  private sockets = new Set<net.Socket>();
  private hosts = new Map<string, HostOwner>();
  private tallies = new Map<string, RequestTally>();
  private stopFlushing = () => {};
  private flushing: Promise<void> = Promise.resolve();
  private resumes = new Set<NodeJS.Timeout>();
  private readCount = 0;

  constructor(private readonly deps: AccessLogReceiverDeps) {}

  /** Listens; resolves with the address Caddy should dial (Caddy's spelling). */
  async start(): Promise<string> {
    // A tiny read buffer: a paused connection stops reading from the kernel at once (pauseReading).
    const server = net.createServer({ highWaterMark: 1 }, (socket) => this.receive(socket));
    this.server = server;
    const { listen } = this.deps;
    const path = listen.startsWith('unix//') ? listen.slice('unix/'.length) : undefined;
    if (path) rmSync(path, { force: true }); // a killed router-sync leaves its socket file behind
    const at = path ? { path } : { host: listen.slice(0, listen.lastIndexOf(':')).replace(/^\[(.*)\]$/, '$1'), port: Number(listen.slice(listen.lastIndexOf(':') + 1)) };
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(at, () => resolve()));
    this.stopFlushing = everySharedTick(this.deps.intervalMs, () => void this.flush());
    // Caddy's container may run as another user; the socket's directory is what guards it.
    if (path) {
      chmodSync(path, 0o666);
      return listen;
    }
    const bound = server.address() as net.AddressInfo;
    return `${bound.family === 'IPv6' ? `[${bound.address}]` : bound.address}:${bound.port}`;
  }

  /** The hosts Caddy routes now (router-sync's latest state). */
  setHosts(hosts: ReadonlyMap<string, HostOwner>): void {
    this.hosts = new Map(hosts);
  }

  /** Counts one access line; false when it is not a request to a routed host. */
  count(line: string): boolean {
    let entry: AccessLine;
    try {
      entry = JSON.parse(line) as AccessLine;
    } catch {
      return false;
    }
    // Whoever can write to the receiver can send any JSON (`null`, a number for the host): not Caddy's, not counted.
    if (!entry || typeof entry !== 'object' || typeof entry.request?.host !== 'string') return false;
    const host = entry.request.host.toLowerCase().replace(/:\d+$/, '');
    const owner = host === undefined ? undefined : this.hosts.get(host);
    if (!owner || typeof entry.status !== 'number' || typeof entry.duration !== 'number') return false;
    let tally = this.tallies.get(owner.deploymentId);
    if (!tally) this.tallies.set(owner.deploymentId, (tally = emptyTally()));
    countRequest(tally, entry.status, entry.duration);
    this.deps.metrics.appRequests.inc({ project: owner.project, status_class: statusClassOf(entry.status) ?? 'other' });
    this.deps.metrics.appRequestDuration.observe({ project: owner.project }, entry.duration);
    return true;
  }

  /** Writes the tallies counted since the last flush (one row per deployment); a failed write loses that interval. */
  flush(at = new Date()): Promise<void> {
    const rows = [...this.tallies].map(([deploymentId, tally]) => ({ deploymentId, at, tally }));
    this.tallies = new Map();
    this.flushing = this.flushing
      .then(() => this.deps.write(rows))
      .catch((err: unknown) => this.deps.logger.warn({ err, deployments: rows.length }, 'writing request metrics failed; that interval is lost'));
    return this.flushing;
  }

  /** Socket reads so far (fewer than lines when lines are batched). */
  get reads(): number {
    return this.readCount;
  }

  async stop(): Promise<void> {
    this.stopFlushing();
    for (const timer of this.resumes) clearTimeout(timer);
    this.resumes.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    await this.flush();
  }

  private receive(socket: net.Socket): void {
    this.sockets.add(socket);
    const lines = new NewlineSplitter({ maxPending: maxLine, overflow: 'drop' });
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.readCount++;
      for (const line of lines.push(chunk)) this.count(line);
      // A read that filled the buffer: more is waiting, read on (a pause would cap the rate Caddy can log at).
      if (chunk.length < fullReadChars) this.pauseReading(socket);
    });
    socket.on('error', (err) => this.deps.logger.debug({ err }, 'an access log connection broke'));
    socket.on('close', () => this.sockets.delete(socket));
  }

  /** Leaves the connection unread for `readPauseMs`, so the lines written meanwhile come in one read. */
  private pauseReading(socket: net.Socket): void {
    const pauseMs = this.deps.readPauseMs ?? defaultReadPauseMs;
    if (pauseMs <= 0 || socket.isPaused()) return;
    socket.pause();
    const timer = setTimeout(() => {
      this.resumes.delete(timer);
      if (!socket.destroyed) socket.resume();
    }, pauseMs);
    timer.unref();
    this.resumes.add(timer);
  }
}
