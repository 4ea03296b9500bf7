import { execFileSync } from 'node:child_process';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './paths.ts';
import Docker from 'dockerode';
import { HttpCaddyAdmin } from '@berth/router-sync/caddy-admin';
import type { TestCaddy } from './caddy.ts';
import { freePort, waitFor } from './ports.ts';

const docker = new Docker();
/** Every test Caddy container carries this label (its value: the test id), so leftovers can be found. */
export const testCaddyLabel = 'dev.berth.test-caddy';

export interface TestCaddyContainer extends TestCaddy {
  /** The shared directory (0700, mounted at the same path inside): Caddy's admin socket, and the API's socket. */
  socketDir: string;
  /** Where router-sync tells Caddy to listen (inside the container; the same port number is published on 127.0.0.1). */
  httpListen: string;
  httpsListen: string;
  containerName: string;
}

/** `berth/caddy:<version>` (scripts/make-caddy-image.sh; made once, then reused). */
export function caddyImage(): string {
  return execFileSync('bash', [path.join(repoRoot, 'scripts/make-caddy-image.sh')], { encoding: 'utf8' }).trim();
}

/**
 * Caddy as a container, the way swarm mode runs it: on the default bridge with
 * its HTTP and HTTPS ports published on 127.0.0.1 (same number inside).
 * router-sync (CADDY_CONTAINER) connects it to the network of each app it
 * routes to. Its admin API is only a unix socket in `socketDir`.
 */
export async function startCaddyContainer(): Promise<TestCaddyContainer> {
  const id = randomBytes(4).toString('hex');
  const image = caddyImage();
  const socketDir = mkdtempSync(path.join(os.tmpdir(), 'berth-cc-'));
  chmodSync(socketDir, 0o700);
  const socket = path.join(socketDir, 'admin.sock');
  const adminListen = `unix/${socket}`;
  const configFile = path.join(socketDir, 'caddy.json');
  writeFileSync(configFile, JSON.stringify({ admin: { listen: adminListen } }));
  const [httpPort, httpsPort] = [await freePort(), await freePort()];
  const containerName = `berth-test-caddy-${id}`;
  const container = await createCaddyContainer({ id, image, containerName, configFile, socketDir, ports: [httpPort, httpsPort] });
  const admin = new HttpCaddyAdmin(`unix://${socket}`);
  const launch = async () => {
    // A killed Caddy leaves its socket file behind; the new one must bind that path.
    rmSync(socket, { force: true });
    await container.start();
    await waitFor(`caddy container ${containerName}'s admin socket`, async () => (await admin.current(), true), 20_000, 100);
  };
  try {
    await launch();
  } catch (err) {
    await container.remove({ force: true }).catch(() => {});
    rmSync(socketDir, { recursive: true, force: true });
    throw err;
  }
  return {
    adminUrl: `unix://${socket}`,
    adminListen,
    httpPort,
    httpsPort,
    httpListen: `:${httpPort}`,
    httpsListen: `:${httpsPort}`,
    socketDir,
    containerName,
    async restart(opts = {}) {
      if (opts.crash) await container.kill({ signal: 'SIGKILL' });
      else await container.stop({ t: 5 });
      await container.wait();
      await launch();
    },
    async stop() {
      await container.remove({ force: true }).catch(() => {});
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}

/**
 * A GET on a test Caddy's admin API, whichever kind it is: `http://host:port`, or
 * `unix:///…/admin.sock` (with the empty Host Caddy requires there), e.g. `/pki/ca/local`.
 */
export function caddyAdminGet(adminUrl: string, urlPath: string): Promise<{ status: number; body: string }> {
  const url = new URL(adminUrl);
  const target =
    url.protocol === 'unix:'
      ? { socketPath: decodeURIComponent(url.pathname), setHost: false, headers: { host: '' } }
      : { host: url.hostname, port: Number(url.port) };
  return new Promise((resolve, reject) => {
    http
      .get({ ...target, path: urlPath, agent: false }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

/** The container, not started: its ports published on 127.0.0.1 with the same number inside, the socket dir mounted. */
function createCaddyContainer(o: { id: string; image: string; containerName: string; configFile: string; socketDir: string; ports: number[] }) {
  const ports = o.ports.map((p) => `${p}/tcp`);
  return docker.createContainer({
    name: o.containerName,
    Image: o.image,
    Cmd: ['run', '--config', o.configFile],
    Labels: { [testCaddyLabel]: o.id },
    ExposedPorts: Object.fromEntries(ports.map((p) => [p, {}])),
    HostConfig: {
      NetworkMode: 'bridge',
      PortBindings: Object.fromEntries(ports.map((p) => [p, [{ HostIp: '127.0.0.1', HostPort: p.split('/')[0] }]])),
      Binds: [`${o.socketDir}:${o.socketDir}`],
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
    },
  });
}
