/**
 * The names Berth gives what it creates in Docker. Deterministic per
 * deployment: a re-delivered job finds (and removes) its own leftovers, and
 * the reaper maps an image back to its deployment.
 */

export function containerName(instance: string, deploymentId: string): string {
  return `berth-${instance}-${deploymentId}`;
}

/** The container a deployment's release command runs in (removed when it ends; a retry removes a leftover). */
export function releaseContainerName(instance: string, deploymentId: string): string {
  return `${containerName(instance, deploymentId)}-release`;
}

/** The container of a release's process besides web: `<app container>-<type>-<n>` (n from 1). */
export function processContainerName(instance: string, deploymentId: string, type: string, index: number): string {
  return `${containerName(instance, deploymentId)}-${type}-${index}`;
}

/** The container a run (one-off or a job's) runs in; removed when it ends. */
export function runContainerName(instance: string, runId: string): string {
  return `berth-${instance}-${runId}`;
}

/** A project volume's Docker name: by its id, so a volume removed and made again under its name starts empty. */
export function volumeName(instance: string, volumeId: string): string {
  return `berth-${instance}-vol-${volumeId}`;
}

/** What every image tag of an installation starts with (also a `reference` filter with `*` after it). */
export function imageRepositoryPrefix(instance: string): string {
  return `berth-${instance}/`;
}

export function imageTag(instance: string, deploymentId: string): string {
  return `${imageRepositoryPrefix(instance)}${deploymentId}:latest`;
}

/** The deployment an image tag of this installation belongs to; undefined for any other tag. */
export function parseImageTag(instance: string, tag: string): string | undefined {
  const prefix = imageRepositoryPrefix(instance);
  if (!tag.startsWith(prefix)) return undefined;
  const deploymentId = tag.slice(prefix.length).split(':')[0];
  return deploymentId || undefined;
}

/**
 * The cgroup one build attempt runs in: `<instance>-<deployment id>-<attempt>`.
 * One per attempt: a stalled attempt still running elsewhere must not remove
 * the cgroup another attempt builds in.
 */
export function buildCgroupKey(instance: string, deploymentId: string, attempt: string): string {
  return `${instance}-${deploymentId}-${attempt}`;
}

/** Every build cgroup key of an installation starts with this. */
export function buildCgroupPrefix(instance: string): string {
  return `${instance}-`;
}

/**
 * The deployment a build cgroup of this installation belongs to. Matched
 * strictly: instance "a" must not read instance "a-b"'s keys as its own (a
 * live build's cgroup removed between two RUN steps would be made again by
 * Docker with no process limit).
 */
export function parseBuildCgroupKey(instance: string, key: string): string | undefined {
  const prefix = buildCgroupPrefix(instance);
  if (!key.startsWith(prefix)) return undefined;
  return /^([a-z0-9]{1,64})-[0-9a-f]{8}$/.exec(key.slice(prefix.length))?.[1];
}

/** A managed service's container (issue 29); its name in the project is a network alias, not this. */
export function serviceContainerName(instance: string, serviceId: string): string {
  return `berth-${instance}-svc-${serviceId}`;
}

/** A managed service's data volume: kept when the service is deleted, unless deleteData. */
export function serviceVolumeName(instance: string, serviceId: string): string {
  return `berth-${instance}-svcdata-${serviceId}`;
}

/** A project's own network: its services and its apps' containers, no one else's (a project name is [a-z0-9-]). */
export function projectNetworkName(instance: string, project: string): string {
  return `berth-${instance}-p-${project}`;
}
