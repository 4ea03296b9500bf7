/**
 * The soak's invariants over the platform's state once everything settled (issue 32): each a pure
 * function of a snapshot (soak/observe.ts takes it from Postgres, Redis, Docker and Caddy), so a unit
 * test can hand it a state that breaks it. This file: the state's own consistency (jobs, logs,
 * leftovers, routes); invariants-runtime.ts: what was measured while it ran.
 */
import { isInFlight, isLive, isRoutable, type DeploymentStatus } from '@berth/shared/deployment-state';

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DeploymentFact {
  id: string;
  project: string;
  status: DeploymentStatus;
  /** Whether its history ever reached `running` (its build then finished). */
  wentLive: boolean;
  /** Built from source (not a rollback to a kept image, which prints no build). */
  built: boolean;
  /** A rollback's build: the deployment whose image it runs. */
  releaseOf?: string | null;
  /** A preview's branch (git-pushes.ts): served on the branch's host, never the project's. */
  previewOf?: string | null;
}

export interface LogFact {
  seq: number;
  stream: string;
  line: string;
}

export interface SettledState {
  baseDomain: string;
  releasesKept: number;
  deployments: DeploymentFact[];
  projects: { name: string; current: string | null }[];
  /** Every job of the deployments queue, with BullMQ's state (waiting, active, delayed, completed, failed...). */
  jobs: { id: string; state: string }[];
  logs: Record<string, LogFact[]>;
  containers: { name: string; deployment: string | undefined }[];
  images: { tag: string; deployment: string | undefined }[];
  networks: { name: string; project: string | undefined }[];
  volumes: { name: string; project: string | undefined }[];
  /** The hosts Caddy maps to an app (the API's own host left out). */
  routeHosts: string[];
}

/** Lines the soak app prints, numbered from 1: `soak build <n>` while building, `soak run <n>` while running. */
export const buildLinePattern = /^soak build (\d+)$/;
export const runLinePattern = /^soak run (\d+)$/;
/** How many build lines a finished build printed (the soak app's Dockerfile). */
export const buildLineCount = 30;
/**
 * The first line of a job delivered again after its worker died. Lines that worker held unstored died with it,
 * their seqs reserved (log-sink.ts): a seq gap right before this line is that loss, counted but not a fault.
 */
export const resumeLine = 'resuming an interrupted attempt: removing its leftovers';
/**
 * The first line of a runtime follower that took over from one that stopped without letting go
 * (runtime-logs.ts): that one's reserved seqs are a gap right before it; its lines are read again.
 */
export const followerChangedLine = 'following the output again: the worker that followed it stopped';
/** A seq gap right before one of these lines is explained (above). */
export const explainsGap = (line: string) => line === resumeLine || line === followerChangedLine;

const liveJobStates = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused']);
const shown = (xs: readonly string[], max = 5) => (xs.length === 0 ? 'none' : `${xs.slice(0, max).join(', ')}${xs.length > max ? ` (+${xs.length - max})` : ''}`);
const result = (name: string, faults: string[], okDetail: string): InvariantResult => ({
  name,
  ok: faults.length === 0,
  detail: faults.length === 0 ? okDetail : shown(faults, 4),
});

/** No deployment left queued, fetching, building or starting without a job that will move it on. */
export function inFlightHaveJobs(state: SettledState): InvariantResult {
  const live = new Set(state.jobs.filter((j) => liveJobStates.has(j.state)).map((j) => j.id));
  const stuck = state.deployments.filter((d) => isInFlight(d.status) && !live.has(d.id)).map((d) => `${d.id} ${d.status}`);
  const inFlight = state.deployments.filter((d) => isInFlight(d.status)).length;
  return result('no deployment in flight without a live job', stuck, `${inFlight} in flight, all with a job; ${state.deployments.length} deployments`);
}

/**
 * The faults in one numbered series (build or run lines): each number is the one before plus one, or
 * 1 (a new attempt: a job delivered again rebuilds, a restarted container prints from 1 again).
 */
export function numberingFaults(numbers: readonly number[]): string[] {
  const faults: string[] = [];
  numbers.forEach((n, i) => {
    const before = i === 0 ? 0 : numbers[i - 1]!;
    if (n !== 1 && n !== before + 1) faults.push(`${n} after ${before}`);
  });
  return faults;
}

function numbered(lines: readonly LogFact[], pattern: RegExp): number[] {
  return lines.flatMap((l) => {
    const m = pattern.exec(l.line);
    return m ? [Number(m[1])] : [];
  });
}

/** One deployment's log faults: seq not 1..n in order, a numbered line lost, repeated or out of order. */
export function deploymentLogFaults(d: DeploymentFact, lines: readonly LogFact[]): string[] {
  const faults: string[] = [];
  lines.forEach((l, i) => {
    const before = i === 0 ? 0 : lines[i - 1]!.seq;
    if (l.seq !== before + 1 && !(l.seq > before && explainsGap(l.line))) faults.push(`seq ${l.seq} after ${before} (${l.stream}: ${l.line.slice(0, 40)})`);
  });
  const builds = numbered(lines, buildLinePattern);
  faults.push(...numberingFaults(builds).map((f) => `build ${f}`), ...numberingFaults(numbered(lines, runLinePattern)).map((f) => `run ${f}`));
  const lastAttemptStart = builds.lastIndexOf(1);
  const lastAttempt = lastAttemptStart < 0 ? [] : builds.slice(lastAttemptStart);
  if (d.wentLive && d.built && lastAttempt.length !== buildLineCount) faults.push(`its last build printed ${lastAttempt.length}/${buildLineCount} lines`);
  return faults.slice(0, 3).map((f) => `${d.id}: ${f}`);
}

/** Every log line of every deployment stored exactly once and in order. */
export function logsComplete(state: SettledState): InvariantResult {
  const faults = state.deployments.flatMap((d) => deploymentLogFaults(d, state.logs[d.id] ?? []));
  const total = Object.values(state.logs).reduce((n, lines) => n + lines.length, 0);
  const killed = Object.values(state.logs).reduce((n, lines) => n + lines.filter((l, i) => explainsGap(l.line) && i > 0 && l.seq !== lines[i - 1]!.seq + 1).length, 0);
  return result('every log line once, in order', faults, `${total} lines of ${state.deployments.length} deployments; ${killed} gaps of lines a killed worker held`);
}

/** Deployments whose leftovers may still exist: live ones, and the kept releases (RELEASES_KEPT per project) for images. */
function owners(state: SettledState) {
  const byId = new Map(state.deployments.map((d) => [d.id, d]));
  const live = new Set(state.deployments.filter((d) => isLive(d.status)).map((d) => d.id));
  const projects = new Set(state.projects.map((p) => p.name));
  return { byId, live, projects };
}

/** No container, image, network, volume or job that no deployment (or project) owns. */
export function noOrphans(state: SettledState): InvariantResult {
  const { byId, live, projects } = owners(state);
  const faults = [
    ...state.containers.filter((c) => !c.deployment || !live.has(c.deployment)).map((c) => `container ${c.name}`),
    ...state.images.filter((i) => !i.deployment || !byId.has(i.deployment)).map((i) => `image ${i.tag}`),
    ...state.networks.filter((n) => !n.project || !projects.has(n.project)).map((n) => `network ${n.name}`),
    ...state.volumes.filter((v) => !v.project || !projects.has(v.project)).map((v) => `volume ${v.name}`),
    ...state.jobs.filter((j) => !byId.has(j.id)).map((j) => `job ${j.id} (${j.state})`),
    ...state.jobs.filter((j) => liveJobStates.has(j.state) && byId.has(j.id) && !isInFlight(byId.get(j.id)!.status)).map((j) => `job ${j.id} ${j.state} for a ${byId.get(j.id)!.status} deployment`),
    ...imagesOverKept(state),
  ];
  const counts = `${state.containers.length} containers, ${state.images.length} images, ${state.networks.length} networks, ${state.volumes.length} volumes, ${state.jobs.length} jobs`;
  return result('no container/image/network/volume/job without an owner', faults, `${counts}, all owned`);
}

/**
 * A project keeping more images than RELEASES_KEPT plus its live deployments' (a live rollback runs
 * an older build's image, named after that build: the reaper keeps it, and so may count one more).
 */
function imagesOverKept(state: SettledState): string[] {
  const { byId, live } = owners(state);
  const inUse = new Set(state.deployments.filter((d) => live.has(d.id)).map((d) => d.releaseOf ?? d.id));
  const perProject = new Map<string, number>();
  for (const i of state.images) {
    const d = i.deployment ? byId.get(i.deployment) : undefined;
    if (d && !inUse.has(d.id)) perProject.set(d.project, (perProject.get(d.project) ?? 0) + 1);
  }
  return [...perProject].filter(([, n]) => n > state.releasesKept).map(([p, n]) => `${p} keeps ${n} images of stopped releases (RELEASES_KEPT ${state.releasesKept})`);
}

/** The host a branch's previews are served on (docs/webhooks.md: `<branch-slug>--<project>`; the soak's branches are their own slug). */
export const branchHost = (branch: string, project: string, baseDomain: string) => `${branch}--${project}.${baseDomain}`;

/**
 * Caddy's routes are exactly the routable deployments, the projects whose current release is
 * routable, and the branches with a routable preview.
 */
export function routesMatch(state: SettledState): InvariantResult {
  const routable = new Set(state.deployments.filter((d) => isRoutable(d.status)).map((d) => d.id));
  const expected = new Set([
    ...[...routable].map((id) => `${id}.${state.baseDomain}`),
    ...state.projects.filter((p) => p.current && routable.has(p.current)).map((p) => `${p.name}.${state.baseDomain}`),
    ...state.deployments.filter((d) => d.previewOf && routable.has(d.id)).map((d) => branchHost(d.previewOf!, d.project, state.baseDomain)),
  ]);
  const actual = new Set(state.routeHosts);
  const missing = [...expected].filter((h) => !actual.has(h)).map((h) => `missing ${h}`);
  const extra = [...actual].filter((h) => !expected.has(h)).map((h) => `extra ${h}`);
  return result('Caddy routes = running deployments', [...missing, ...extra], `${actual.size} hosts routed, as expected`);
}

export const stateInvariants = [inFlightHaveJobs, logsComplete, noOrphans, routesMatch];
