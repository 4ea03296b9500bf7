import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { networkGone, statusCode, unavailable } from './docker-errors.ts';
import { proberSource } from './prober-server.ts';

export interface ProberSettings {
  instance: string;
  /** Names this worker's prober (one per worker; a restarted worker replaces its own). */
  workerName: string;
  /** A local image with `node` (the pinned `berth/node:<major>`). */
  image: string;
  /** The prober exits (and is auto-removed) after this long without a request. */
  idleMs: number;
}

/** The label that marks a prober container (not an app: it has no deployment label). */
export const proberLabel = 'dev.berth.prober';
const containerPort = '8080/tcp';

/** This worker's prober container and the app networks it is attached to (or being attached to). */
interface Prober {
  id: string;
  url: string;
  attached: Map<string, Promise<void>>;
}

/**
 * The worker's way into the apps' overlays for health probes. A host process
 * cannot reach addresses on an overlay network, so each worker keeps one
 * small container (made on first use, reused, made again when it is gone):
 * started on the default bridge with its port published only on 127.0.0.1.
 * Every deployment has a network of its own (swarm-runtime.ts); the prober is
 * connected to one while that deployment is probed (`attach`) and
 * disconnected after (`detach`). It answers only this worker (a random token)
 * and dials only addresses inside the networks it is attached to at that
 * moment: prober-server.ts.
 */
export class SwarmProber {
  private readonly token = randomBytes(24).toString('hex');
  private current: Promise<Prober> | undefined;

  constructor(
    private readonly engine: Docker,
    private readonly settings: ProberSettings,
  ) {}

  get name(): string {
    const worker = this.settings.workerName.replace(/[^a-zA-Z0-9_.-]/g, '-');
    return `berth-prober-${this.settings.instance}-${worker}`;
  }

  /** True when `address:port` on `network` answers `path` with a status below 500. */
  async probe(network: string, address: string, port: number, path: string): Promise<boolean> {
    const status = await this.ask(network, address, port, path);
    return status !== undefined && status < 500;
  }

  /** The status `address:port` on `network` answers `path` with; undefined when it does not answer (in 1 s, 2 s in all). */
  async ask(network: string, address: string, port: number, path: string): Promise<number | undefined> {
    const prober = await this.ensure();
    if (!(await this.attach(prober, network))) return undefined;
    const { url } = prober;
    const query = new URLSearchParams({ address, port: String(port), path });
    try {
      const res = await fetch(`${url}/probe?${query}`, {
        headers: { 'x-berth-probe-token': this.token },
        signal: AbortSignal.timeout(5000),
        redirect: 'manual',
      });
      if (res.status !== 200) {
        const { error } = (await res.json().catch(() => ({}))) as { error?: string };
        // Another prober answers on that port now (this one was replaced): make ours again.
        if (error === 'not authorised') {
          this.current = undefined;
          return undefined;
        }
        throw new BerthError('INTERNAL', `the prober refused to probe ${address}:${port} (HTTP ${res.status}: ${error ?? 'no reason'})`);
      }
      const { status } = (await res.json()) as { status?: unknown };
      return typeof status === 'number' ? status : undefined;
    } catch (err) {
      if (err instanceof BerthError) throw err;
      // The prober is gone or stuck: the next probe makes a new one.
      this.current = undefined;
      return undefined;
    }
  }

  /**
   * Disconnects the prober from `network` (the deployment's probes are over):
   * from then on it can no longer dial that app. Gone already (the prober, or
   * the network with the service) is done.
   */
  async detach(network: string): Promise<void> {
    const prober = await this.current?.catch(() => undefined);
    if (!prober?.attached.has(network)) return;
    prober.attached.delete(network);
    try {
      await this.engine.getNetwork(network).disconnect({ Container: prober.id, Force: true });
    } catch (err) {
      if (!networkGone(err) && statusCode(err) !== 403) throw unavailable(err, `detaching the health prober from ${network}`);
    }
  }

  /**
   * Connects the prober to `network` once (a prober made again starts attached to nothing). False when
   * the network is gone (the service was removed: the caller's inspect says so) or the prober is (made again next time).
   */
  private async attach(prober: Prober, network: string): Promise<boolean> {
    try {
      await this.attachOnce(prober, network);
      return true;
    } catch (err) {
      if (networkGone(err)) return false;
      if (statusCode(err) !== 404) throw unavailable(err, `attaching the health prober to ${network}`);
      this.current = undefined; // the prober container is gone: made again next time
      return false;
    }
  }

  private attachOnce(prober: Prober, network: string): Promise<void> {
    let attaching = prober.attached.get(network);
    if (!attaching) {
      attaching = this.connect(prober.id, network).catch((err: unknown) => {
        prober.attached.delete(network);
        throw err;
      });
      prober.attached.set(network, attaching);
    }
    return attaching;
  }

  private async connect(container: string, network: string): Promise<void> {
    try {
      await this.engine.getNetwork(network).connect({ Container: container });
    } catch (err) {
      // 403 "already exists in network": a connect of ours that the engine finished after a timeout.
      if (statusCode(err) === 403 && /already exists/i.test((err as Error).message)) return;
      throw err;
    }
  }

  /** Removes this worker's prober (at shutdown). */
  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    const id = await current?.then((c) => c.id).catch(() => undefined);
    await this.remove(id ?? this.name);
  }

  private ensure(): Promise<Prober> {
    this.current ??= this.start().catch((err: unknown) => {
      this.current = undefined;
      throw err;
    });
    return this.current;
  }

  private async start(): Promise<Prober> {
    await this.remove(this.name); // a leftover of this worker's earlier run
    const source = proberSource();
    let container: Docker.Container;
    try {
      container = await this.engine.createContainer({
        name: this.name,
        Image: this.settings.image,
        Cmd: ['node', '-e', source],
        Env: [
          `BERTH_PROBE_TOKEN=${this.token}`,
          `BERTH_PROBE_IDLE_MS=${this.settings.idleMs}`,
        ],
        Labels: { [labels.instance]: this.settings.instance, [proberLabel]: this.settings.workerName },
        User: '65534:65534',
        ExposedPorts: { [containerPort]: {} },
        HostConfig: {
          NetworkMode: 'bridge',
          PortBindings: { [containerPort]: [{ HostIp: '127.0.0.1', HostPort: '' }] },
          AutoRemove: true,
          ReadonlyRootfs: true,
          Memory: 64 * 1024 * 1024,
          NanoCpus: 500_000_000,
          PidsLimit: 64,
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
        },
      });
      await container.start();
      // Attached to app networks only once it listens on the bridge address (it binds what it has at start).
      const url = await this.publishedUrl(container);
      return { id: container.id, url, attached: new Map() };
    } catch (err) {
      await this.remove(this.name);
      throw unavailable(err, 'starting the health prober');
    }
  }

  /** The host port Docker published, once the prober answers on it. */
  private async publishedUrl(container: Docker.Container): Promise<string> {
    for (let attempt = 0; attempt < 100; attempt++) {
      const info = await container.inspect();
      if (!info.State.Running) throw new Error(`the prober exited (code ${info.State.ExitCode})`);
      const port = info.NetworkSettings.Ports?.[containerPort]?.[0]?.HostPort;
      if (port) {
        const url = `http://127.0.0.1:${port}`;
        const res = await fetch(`${url}/probe`, { signal: AbortSignal.timeout(1000) }).catch(() => undefined);
        if (res) {
          await res.body?.cancel();
          return url; // 403 without the token: it is listening
        }
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the prober did not listen within 5 s');
  }

  private async remove(nameOrId: string): Promise<void> {
    try {
      await this.engine.getContainer(nameOrId).remove({ force: true });
    } catch (err) {
      const code = statusCode(err);
      if (code !== 404 && code !== 409) throw unavailable(err, 'removing the health prober');
    }
  }
}
