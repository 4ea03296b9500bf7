import { execFile } from 'node:child_process';
import { existsSync, readdirSync, rmdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { repoRoot } from './paths.ts';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { waitFor } from './ports.ts';
import { docker } from './stack.ts';

const run = promisify(execFile);
const script = path.join(repoRoot, 'scripts/make-swarm-node-image.sh');

/** A second swarm node on this machine: a Docker Engine in a container (berth/swarm-node), joined as a worker. */
export interface SwarmNode {
  /** The container's name, which is also the node's hostname. */
  name: string;
  /** The swarm's id of the node. */
  id: string;
  /** `docker` inside the node (its own Engine). */
  docker(...args: string[]): Promise<string>;
  /** The machine is lost: the container is killed (no leave, no goodbye to the manager). */
  kill(): Promise<void>;
  /** Removes the container, the node from the swarm and the forwarders (idempotent). */
  remove(): Promise<void>;
}

/** Pipes every connection accepted by `server` to `to` (both ends closed together). */
function forward(to: { host: string; port: number }): net.Server {
  return net.createServer((client) => {
    const upstream = net.connect(to);
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
}

/** Removes a cgroup directory and the ones below it (left by the killed Engine; empty once its processes are gone). */
function removeCgroupTree(dir: string): void {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { withFileTypes: true })) if (entry.isDirectory()) removeCgroupTree(path.join(dir, entry.name));
  try {
    rmdirSync(dir);
  } catch {
    // still busy: left for the machine's next cleanup
  }
}

/** The registry forwarder run inside the node (its Node is this test's, mounted read-only at /opt/node). */
const innerForwarder = (listenPort: number, host: string, port: number) => `
  const net = require('net');
  net.createServer((c) => {
    const u = net.connect({ host: ${JSON.stringify(host)}, port: ${port} });
    c.pipe(u).pipe(c);
    const end = () => { c.destroy(); u.destroy(); };
    c.on('error', end).on('close', end); u.on('error', end).on('close', end);
  }).listen(${listenPort}, '127.0.0.1');`;

/** The swarm's advertised address, refused when a container could not reach it (loopback, none). */
async function reachableManagerAddress(): Promise<string> {
  const info = (await docker.info()) as { Swarm?: { NodeAddr?: string; LocalNodeState?: string } };
  const managerAddr = info.Swarm?.NodeAddr ?? '';
  if (info.Swarm?.LocalNodeState !== 'active') throw new Error('this Docker is not in a swarm (ensure_swarm makes one)');
  if (!managerAddr || managerAddr.startsWith('127.')) {
    throw new Error(
      `this swarm advertises ${managerAddr || 'no address'}, which a container cannot reach: make it again with ` +
        'scripts/lib/services.sh ensure_swarm (it advertises the Docker bridge gateway) or BERTH_SWARM_ADVERTISE_ADDR',
    );
  }
  return managerAddr;
}

/** The node: a Docker Engine in a container, its containers' cgroups under /<name>. */
function nodeContainerSpec(name: string, image: string): Docker.ContainerCreateOptions {
return {
    name,
    Hostname: name,
    Image: image,
    Cmd: ['--host', 'unix:///run/docker.sock', '--cgroup-parent', `/${name}`, '--log-level', 'warn'],
    HostConfig: {
      // What a nested Engine needs (all that --privileged would give, less CAP_SYS_RESOURCE, which
      // sandboxed hosts may not have to give); its containers' cgroups go under /<name>.
      CapAdd: ['ALL'],
      CapDrop: ['SYS_RESOURCE'],
      SecurityOpt: ['seccomp=unconfined', 'apparmor=unconfined'],
      MaskedPaths: [], // /proc and /sys as the Engine needs them (the CLI's --security-opt systempaths=unconfined)
      ReadonlyPaths: [],
      CgroupnsMode: 'host',
      Binds: ['/usr:/usr:ro', '/sys/fs/cgroup:/sys/fs/cgroup', `${process.execPath}:/opt/node:ro`],
      Tmpfs: { '/run': '', '/tmp': '', '/var/lib/docker': '' },
    } as Docker.HostConfig,
  };
}

/**
 * Starts a second Docker Engine as a container on the default bridge and joins it to this machine's swarm as a
 * worker, through the manager's advertised address (ensure_swarm advertises the bridge gateway, reachable from
 * containers). The node pulls from `registry` (a 127.0.0.1:<port> registry of this machine) under the same
 * name: inside the node, 127.0.0.1:<port> is forwarded to the host, as a DNS name would point every node of a
 * real swarm at one registry (`registry` undefined: a node that cannot reach it). Needs CAP_SYS_ADMIN and CAP_NET_ADMIN on the host (Docker runs nested).
 */
export async function startSwarmNode(options: { name: string; registry: string | undefined }): Promise<SwarmNode> {
  const { name } = options;
  const image = (await run('bash', [script])).stdout.trim().split('\n').pop()!;
  const managerAddr = await reachableManagerAddress();
  const registryPort = options.registry ? Number(options.registry.split(':').pop()) : 0;
  const hostForwarder = options.registry ? forward({ host: '127.0.0.1', port: registryPort }) : undefined;
  if (hostForwarder) await new Promise<void>((resolve, reject) => hostForwarder.once('error', reject).listen(0, managerAddr, resolve));
  const forwarderPort = hostForwarder ? (hostForwarder.address() as net.AddressInfo).port : 0;

  const inNode = async (...args: string[]) => (await run('docker', ['exec', name, ...args], { maxBuffer: 16 * 1024 * 1024 })).stdout;
  let nodeId = '';
  let removed = false;
  const remove = async () => {
    if (removed) return;
    removed = true;
    await docker.getContainer(name).remove({ force: true, v: true }).catch(() => {});
    // The node's containers' cgroups were under /<name> in each hierarchy (cgroup v1) or the one (v2).
    const root = '/sys/fs/cgroup';
    for (const dir of [root, ...readdirSync(root).map((c) => path.join(root, c))]) removeCgroupTree(path.join(dir, name));
    const nodes = await docker.listNodes({ filters: JSON.stringify({ name: [name] }) }).catch(() => []);
    for (const n of nodes as Array<{ ID: string }>) await docker.getNode(n.ID).remove({ force: true }).catch(() => {});
    if (hostForwarder) await new Promise<void>((resolve) => hostForwarder.close(() => resolve()));
  };
  try {
    const container = await docker.createContainer(nodeContainerSpec(name, image));
    await container.start();
    await waitFor(`the Engine in ${name}`, async () => (await inNode('docker', 'info').then(() => true, () => false)) || undefined, 30_000, 250);
    if (hostForwarder) await run('docker', ['exec', '-d', name, '/opt/node', '-e', innerForwarder(registryPort, managerAddr, forwarderPort)]);
    const token = (await run('docker', ['swarm', 'join-token', '-q', 'worker'])).stdout.trim();
    await inNode('docker', 'swarm', 'join', '--token', token, `${managerAddr}:2377`);
    nodeId = (await inNode('docker', 'info', '--format', '{{.Swarm.NodeID}}')).trim();
    await waitFor(`${name} ready in the swarm`, async () => {
      const node = (await docker.getNode(nodeId).inspect()) as { Status?: { State?: string } };
      return node.Status?.State === 'ready' || undefined;
    }, 30_000, 250);
  } catch (err) {
    await remove();
    throw err;
  }
  return {
    name,
    id: nodeId,
    docker: (...args) => inNode('docker', ...args),
    kill: async () => {
      await docker.getContainer(name).kill();
    },
    remove,
  };
}
