import { BerthError } from '@berth/shared/errors';
import type { VolumeMount } from './volume-mount.ts';

/**
 * What the deployment pipeline needs from a container engine, as structured arguments (never shell
 * strings). `docker-runtime.ts` (one Docker Engine) and `swarm-runtime.ts` (Docker Swarm) implement it, sharing this node's Docker (`node-docker.ts`).
 */
export interface BuildImageOptions {
  contextDir: string;
  /** Path of the Dockerfile relative to contextDir. */
  dockerfile: string;
  tag: string;
  labels: Record<string, string>;
  /** Whose layer cache the build uses (the project): no build of another scope finds its layers. */
  cacheScope: string;
  /** The network RUN steps run on (build-network.ts); Docker's default bridge when absent. */
  network?: string;
  /** Refuse new connections from that network to this host itself (host-firewall.ts; BUILD_HOST_FIREWALL). */
  closeHostToNetwork?: boolean;
  timeoutMs: number;
  signal: AbortSignal;
  /** Each output line; `continues` (given for the build's output, not for the daemon's status lines) when it is a cut of a longer line whose next piece comes next. */
  onLine: (line: string, continues?: boolean) => void;
  /** Build arguments (the project's build env): Dockerfile ARGs see them. */
  buildArgs?: Record<string, string>;
  limits: BuildLimits;
  /**
   * How long a failed build's own layers stay before they are removed: a
   * concurrent build may be about to use one of them from the cache (Docker
   * refuses to remove one it has built on by then).
   */
  leftoverGraceMs: number;
}

/** What one build's RUN steps may use. */
export interface BuildLimits {
  memoryBytes: number;
  cpus: number;
  /** A cgroup made for this build (with a process limit), or undefined for the daemon's default. */
  cgroupParent?: string;
}

/** The builder reported a failed step; `exitCode` is the step's exit code when it has one (137: killed). */
export class BuildStepError extends BerthError {
  constructor(
    message: string,
    readonly exitCode: number | undefined,
  ) {
    super('BUILD_FAILED', message);
  }
}

export interface NetworkState {
  /** Container-to-container traffic is refused on it. */
  isolated: boolean;
  /** Containers attached to it now. */
  attached: number;
  /** The host's interface of the bridge (`br-<id>` unless the network names it), when it exists. */
  bridgeInterface?: string;
}

export interface EngineInfo {
  /** "cgroupfs" or "systemd". */
  cgroupDriver: string;
}

export interface RunContainerOptions {
  name: string;
  image: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  port: number;
  network: string;
  memoryBytes: number;
  nanoCpus: number;
  /** Copies to run (the deployment's replicas); docker mode runs one and refuses more (REPLICAS_NEED_SWARM). */
  replicas: number;
  /** The project's volumes (swarm mode: the service is placed on the node holding them). */
  mounts?: VolumeMount[];
  /** Networks it joins besides `network` (docker mode: its project's, where its services are). */
  extraNetworks?: string[];
  /** The web process's command (berth.json `processes.web`, a Procfile), run with `sh -c`; the image's own when absent. */
  command?: string;
}

/** A deployment's copies as the engine sees them: how many it keeps (desired) and how many run now. */
export interface ReplicaState {
  desired: number;
  running: number;
}

export interface ContainerState {
  running: boolean;
  restarting: boolean;
  restartCount: number;
  exitCode: number;
  status: string;
  /** When the container last started (ISO); later than the deployment went live means it restarted. */
  startedAt: string;
}

export interface RunningContainer {
  name: string;
  deploymentId: string;
}

export interface OwnedContainer extends RunningContainer {
  running: boolean;
  /** A process container's type (docker mode, process-containers.ts); absent on the app's own container. */
  process?: string;
}

/** A line of a container's output, or a cut of one (`continues`: its next piece from `source` comes next). */
export interface RuntimeLine {
  ts: string;
  line: string;
  source?: 'stdout' | 'stderr';
  continues?: boolean;
}

export interface FollowLogsOptions {
  /** Only output after this time (Unix seconds); 0 for everything. */
  sinceSeconds: number;
  signal: AbortSignal;
  /** One call per line, in order, with the engine's timestamp (ISO, microsecond precision). */
  onLine: (line: RuntimeLine) => void;
}

/** What happened to one of this installation's containers, as the engine reported it. */
export type ContainerEventAction = 'start' | 'die' | 'restart' | 'oom' | 'destroy' | 'stop';

export interface ContainerEvent {
  /** The deployment label of the container (or service) the event is about. */
  deploymentId: string;
  action: ContainerEventAction;
  /** When the engine saw it (Unix milliseconds). */
  time: number;
}

export interface ContainerRuntime {
  /** Whether an image with this reference exists locally. */
  imageExists(ref: string): Promise<boolean>;
  engineInfo(): Promise<EngineInfo>;
  /** Creates the app network, isolated; see bridge-network.ts for networks made before that. */
  ensureNetwork(name: string): Promise<NetworkState>;
  /** Throws BUILD_FAILED (with the builder's message) when the Dockerfile fails. */
  buildImage(options: BuildImageOptions): Promise<void>;
  /** Creates and starts the container; returns its id and its address on `network`. */
  runContainer(options: RunContainerOptions): Promise<{ id: string; ip: string }>;
  inspect(nameOrId: string): Promise<ContainerState | undefined>;
  tailLogs(nameOrId: string, lines: number): Promise<string[]>;
  /** Streams the container's stdout and stderr until it stops or `signal` aborts. */
  followLogs(nameOrId: string, options: FollowLogsOptions): Promise<void>;
  /** Running containers that carry this installation's labels. */
  listRunning(instance: string): Promise<RunningContainer[]>;
  /** All containers (running or not) that carry this installation's labels. */
  listAll(instance: string): Promise<OwnedContainer[]>;
  /** Image tags of this installation. */
  listImages(instance: string): Promise<string[]>;
  /**
   * Reports lifecycle events of this installation's containers until `signal`
   * aborts (then resolves; it never rejects). After a break in the engine's
   * event stream it reconnects and replays what happened meanwhile (Docker's
   * `since`), so an event during the break is still reported, perhaps twice.
   */
  watchEvents(instance: string, signal: AbortSignal, onEvent: (event: ContainerEvent) => void): Promise<void>;
  /** The copies of a deployment's service (docker mode: its container, 1), or undefined when it is gone. */
  replicas(name: string): Promise<ReplicaState | undefined>;
  /**
   * Makes the engine keep `replicas` copies (Swarm: a service update). Docker
   * mode runs one container: 1 is a no-op, more is REPLICAS_NEED_SWARM.
   * NOT_FOUND when the service is gone.
   */
  scale(name: string, replicas: number): Promise<void>;
  /**
   * Removes what runContainer made for the deployment, if it exists: docker mode its
   * container (forced), Swarm its service (drained first) and the service's own network.
   */
  removeApp(name: string): Promise<void>;
  /** Removes the image if it exists (and its untagged parents no other image uses: they hold the source). */
  removeImage(tag: string): Promise<void>;
  /** Gives an image a second tag; false when the source image is gone. */
  tagImage(source: string, target: string): Promise<boolean>;
  /** The image's size in bytes, or undefined when it is gone. */
  imageSize(tag: string): Promise<number | undefined>;
  /** The image's labels ({} when it is gone): containers inherit them (image-labels-check.ts). */
  imageLabels(tag: string): Promise<Record<string, string>>;
  /**
   * One health probe of a started app: true when it answers `path` on `port`
   * with a status below 500. Docker dials `ip` (from runContainer) from this
   * host; Swarm asks this worker's prober on the overlay (swarm-prober.ts).
   */
  probeApp(target: ProbeTarget): Promise<boolean>;
  /** The probes of this container are over (Swarm: the prober leaves its network; Docker: nothing to do). */
  endProbes(name: string): Promise<void>;
  /**
   * Liveness: each running copy of a live deployment asked `path` once from
   * outside (Swarm: through the prober, which leaves the network after). Docker
   * mode watches none: its one container is restarted by its policy when it exits.
   */
  probeReplicas(target: Omit<ProbeTarget, 'ip'>): Promise<ReplicaProbe[]>;
  /** Has the engine replace one copy that stopped answering (Swarm: a new task); what it did. */
  replaceReplica(name: string, id: string): Promise<ReplicaReplacement>;
  /**
   * The networks made for one deployment each (Swarm: every service has its own), so the
   * reaper can remove one whose service is gone. Docker mode has one shared network: none.
   */
  listAppNetworks(instance: string): Promise<AppNetwork[]>;
  /** Releases what the runtime itself keeps (Swarm: this worker's prober). */
  close(): Promise<void>;
}

export interface AppNetwork {
  deploymentId: string;
  /** The service (container) name it was made for: removeApp(service) removes both. */
  service: string;
}

export interface ProbeTarget {
  /** The container (service) name. */
  name: string;
  /** The address runContainer returned. */
  ip: string;
  port: number;
  path: string;
}

/** One running copy of a deployment as a liveness probe found it. */
export interface ReplicaProbe {
  /** The engine's id of the copy (Swarm: its task). */
  id: string;
  /** When it started running (ISO). */
  startedAt: string;
  /** It answered with some HTTP status: alive (a 500 too: unwell, but a new copy would not help). */
  answered: boolean;
}

/**
 * How a copy was replaced: its container killed (the engine starts another),
 * every task of the service replaced one by one (the copy runs on a node whose
 * containers this worker cannot reach), or nothing (it was already gone).
 */
export type ReplicaReplacement = 'killed' | 'service updated' | 'gone';
