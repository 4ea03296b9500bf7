import { BerthError } from '@berth/shared/errors';
import type { RunContainerOptions } from './container-runtime.ts';

/**
 * The Docker Swarm service one deployment runs as: pure and deterministic
 * (same input, same JSON), so golden files in test/swarm-service-spec.test.ts
 * pin it. swarm-runtime.ts sends it to the manager.
 */
export interface SwarmServiceOptions extends RunContainerOptions {
  /** The bound on `replicas` (the deployment's own count of tasks). */
  maxReplicas: number;
}

/** The subset of Docker's ServiceSpec Berth writes (field names as the Engine API spells them). */
export interface SwarmServiceSpec {
  Name: string;
  Labels: Record<string, string>;
  TaskTemplate: {
    ContainerSpec: {
      Image: string;
      /** berth.json `processes.web` (or a Procfile's web), run with `sh -c`; the image's own command otherwise. */
      Command?: string[];
      Args?: string[];
      Env: string[];
      Labels: Record<string, string>;
      CapabilityDrop: string[];
      CapabilityAdd: string[];
      Privileges: { NoNewPrivileges: boolean };
      Init: boolean;
      HealthCheck: { Test: ['NONE'] };
      /** The project's volumes: local named volumes on the node in Placement (made there with these labels if new). */
      Mounts?: { Type: 'volume'; Source: string; Target: string; ReadOnly: false; VolumeOptions: { Labels: Record<string, string>; DriverConfig: { Name: 'local' } } }[];
    };
    /** With volumes: `node.id == <the node holding them>` (every replica runs there). */
    Placement?: { Constraints: string[] };
    Resources: { Limits: { MemoryBytes: number; NanoCPUs: number; Pids: number } };
    RestartPolicy: { Condition: 'any'; Delay: number; MaxAttempts: number };
    Networks: { Target: string; Aliases: string[] }[];
    LogDriver: { Name: string; Options: Record<string, string> };
  };
  Mode: { Replicated: { Replicas: number } };
  UpdateConfig: { Parallelism: number; Order: 'start-first'; FailureAction: 'rollback'; Monitor: number };
  RollbackConfig: { Parallelism: number; Order: 'start-first' };
  /** dnsrr: the service name resolves to every task's IP (the VIP needs IPVS, which not every host has). */
  EndpointSpec: { Mode: 'dnsrr' };
}

const second = 1_000_000_000;

/** Same capabilities as a plain container (docker-runtime.ts): enough to drop root and bind a low port. */
const capabilities = ['CHOWN', 'SETUID', 'SETGID', 'DAC_OVERRIDE', 'FOWNER', 'NET_BIND_SERVICE', 'KILL'];

export function buildServiceSpec(options: SwarmServiceOptions): SwarmServiceSpec {
  if (!Number.isInteger(options.replicas) || options.replicas < 1 || options.replicas > options.maxReplicas) {
    throw new BerthError('VALIDATION_FAILED', `replicas must be a whole number from 1 to ${options.maxReplicas}`);
  }
  if (!Number.isInteger(options.port) || options.port < 1 || options.port > 65535) {
    throw new BerthError('VALIDATION_FAILED', 'port must be from 1 to 65535');
  }
  const sortedLabels = sortedObject(options.labels);
  return {
    Name: options.name,
    Labels: sortedLabels,
    TaskTemplate: {
      ContainerSpec: {
        Image: options.image,
        ...(options.command ? { Command: ['/bin/sh', '-c'], Args: [options.command] } : {}),
        Env: Object.entries(options.env)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => `${k}=${v}`),
        Labels: sortedLabels,
        CapabilityDrop: ['ALL'],
        CapabilityAdd: capabilities,
        Privileges: { NoNewPrivileges: true },
        // A tiny init as PID 1 passes SIGTERM on: an app that sets no handler then exits at once when Swarm
        // stops its task (removal, scale down, update), instead of holding on for the 10 s grace as PID 1.
        Init: true,
        // Off, and any HEALTHCHECK of the image with it: a check runs inside the task, and the image may hold
        // nothing to run one with (no node, no shell: `FROM scratch`). Berth probes the tasks from outside
        // instead, through the worker's prober: the deploy gate (app-start.ts) and the liveness watch
        // (replica-liveness.ts), which replaces a task that stops answering.
        HealthCheck: { Test: ['NONE'] },
        ...volumeMounts(options),
      },
      ...placement(options),
      Resources: { Limits: { MemoryBytes: options.memoryBytes, NanoCPUs: options.nanoCpus, Pids: 512 } },
      RestartPolicy: { Condition: 'any', Delay: second, MaxAttempts: 0 },
      Networks: [{ Target: options.network, Aliases: [options.name] }],
      LogDriver: { Name: 'json-file', Options: { 'max-file': '3', 'max-size': '10m' } },
    },
    Mode: { Replicated: { Replicas: options.replicas } },
    UpdateConfig: { Parallelism: 1, Order: 'start-first', FailureAction: 'rollback', Monitor: 10 * second },
    RollbackConfig: { Parallelism: 1, Order: 'start-first' },
    EndpointSpec: { Mode: 'dnsrr' },
  };
}

const sortedObject = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

function volumeMounts({ mounts }: SwarmServiceOptions): Pick<SwarmServiceSpec['TaskTemplate']['ContainerSpec'], 'Mounts'> {
  if (!mounts?.length) return {};
  return {
    Mounts: mounts.map((m) => ({ Type: 'volume', Source: m.volume, Target: m.target, ReadOnly: false, VolumeOptions: { Labels: sortedObject(m.labels ?? {}), DriverConfig: { Name: 'local' } } })),
  };
}

/** A local volume is on one node: the tasks that mount it go there. Mounts that name no node, or two, are refused. */
function placement({ mounts }: SwarmServiceOptions): Pick<SwarmServiceSpec['TaskTemplate'], 'Placement'> {
  if (!mounts?.length) return {};
  const nodes = new Set(mounts.map((m) => m.node?.id));
  const [node] = nodes;
  if (nodes.size !== 1 || !node) throw new BerthError('VALIDATION_FAILED', `a service's volumes must name one node, not ${[...nodes].join(', ')}`);
  return { Placement: { Constraints: [`node.id == ${node}`] } };
}

/** The overlay a service runs on, its own: apps cannot reach each other (README "What an app can reach"). */
export function serviceNetworkName(service: string): string {
  return `${service}${networkSuffix}`;
}

/** The service a network of serviceNetworkName's was made for; undefined for any other network. */
export function serviceOfNetwork(network: string): string | undefined {
  return network.endsWith(networkSuffix) && network.length > networkSuffix.length ? network.slice(0, -networkSuffix.length) : undefined;
}

const networkSuffix = '-net';

/** `<registry>/<instance>/<deployment>`: the reference every node pulls. Lower-case, as registries require. */
export function registryImageRef(registry: string, instance: string, deploymentId: string): string {
  const part = (s: string) => s.toLowerCase().replace(/[^a-z0-9._-]/g, '-');
  return `${registry}/${part(instance)}/${part(deploymentId)}:latest`;
}
