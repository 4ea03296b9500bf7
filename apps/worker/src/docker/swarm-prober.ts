import { randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { BerthError } from '@berth/shared/errors';
import { labels } from '@berth/shared/labels';
import { statusCode, unavailable } from './docker-errors.ts';
import { proberMain } from './prober-server.ts';

export interface ProberSettings {
  instance: string;
  /** The overlay the apps run on. */
  network: string;
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

/**
 * The worker's way into the app overlay for health probes. A host process
 * cannot reach addresses on an overlay network, so each worker keeps one
 * small container (made on first use, reused, made again when it is gone):
 * started on the default bridge with its port published only on 127.0.0.1,
 * then connected to the overlay. It answers only this worker (a random token)
 * and dials only addresses inside the overlay's subnets: prober-server.ts.
 */
export class SwarmProber {
  private readonly token = randomBytes(24).toString('hex');
  private current: Promise<{ id: string; url: string }> | undefined;

  constructor(
    private readonly engine: Docker,
    private readonly settings: ProberSettings,
  ) {}

  get name(): string {
    const worker = this.settings.workerName.replace(/[^a-zA-Z0-9_.-]/g, '-');
    return `berth-prober-${this.settings.instance}-${worker}`;
  }

  /** True when `address:port` answers `path` with a status below 500. */
  async probe(address: string, port: number, path: string): Promise<boolean> {
    const { url } = await this.ensure();
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
          return false;
        }
        throw new BerthError('INTERNAL', `the prober refused to probe ${address}:${port} (HTTP ${res.status}: ${error ?? 'no reason'})`);
      }
      return ((await res.json()) as { up?: unknown }).up === true;
    } catch (err) {
      if (err instanceof BerthError) throw err;
      // The prober is gone or stuck: the next probe makes a new one.
      this.current = undefined;
      return false;
    }
  }

  /** Removes this worker's prober (at shutdown). */
  async close(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    const id = await current?.then((c) => c.id).catch(() => undefined);
    await this.remove(id ?? this.name);
  }

  private ensure(): Promise<{ id: string; url: string }> {
    this.current ??= this.start().catch((err: unknown) => {
      this.current = undefined;
      throw err;
    });
    return this.current;
  }

  private async start(): Promise<{ id: string; url: string }> {
    const { subnets, gateways } = await this.overlay();
    await this.remove(this.name); // a leftover of this worker's earlier run
    const script = proberMain.toString();
    // esbuild (tsx, vitest) may wrap inner functions in __name(); the container has no such helper.
    const source = `var __name = (f) => f; (${script})(require, process.env);`;
    let container: Docker.Container;
    try {
      container = await this.engine.createContainer({
        name: this.name,
        Image: this.settings.image,
        Cmd: ['node', '-e', source],
        Env: [
          `BERTH_PROBE_TOKEN=${this.token}`,
          `BERTH_PROBE_SUBNETS=${subnets.join(',')}`,
          `BERTH_PROBE_DENY=${gateways.join(',')}`,
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
      // Connected only once it listens on the bridge address (it binds what it has at start).
      const url = await this.publishedUrl(container);
      await this.engine.getNetwork(this.settings.network).connect({ Container: container.id });
      return { id: container.id, url };
    } catch (err) {
      await this.remove(this.name);
      throw unavailable(err, 'starting the health prober');
    }
  }

  private async overlay(): Promise<{ subnets: string[]; gateways: string[] }> {
    let info: Docker.NetworkInspectInfo;
    try {
      info = (await this.engine.getNetwork(this.settings.network).inspect()) as Docker.NetworkInspectInfo;
    } catch (err) {
      throw unavailable(err, `inspecting the overlay ${this.settings.network}`);
    }
    const config = info.IPAM?.Config ?? [];
    const subnets = config.flatMap((c) => (c.Subnet && /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(c.Subnet) ? [c.Subnet] : []));
    if (subnets.length === 0) throw new BerthError('INTERNAL', `the overlay ${this.settings.network} has no IPv4 subnet to probe in`);
    return { subnets, gateways: config.flatMap((c) => (c.Gateway ? [c.Gateway] : [])) };
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
