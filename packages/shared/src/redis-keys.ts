/**
 * Every Redis key and channel Berth uses, per installation (`instance`), so
 * installs and test runs sharing a Redis never see each other's.
 */

/** Log batches and status changes of every deployment (one subscription per API process). */
export function eventsChannel(instance: string): string {
  return `berth:${instance}:events`;
}

/** Carries nothing but "routes may have changed": router-sync rebuilds from state. */
export function routesChannel(instance: string): string {
  return `berth:${instance}:routes`;
}

/** Ids of revoked API tokens, from the API that revoked one to every other (their token caches drop it at once). */
export function tokensChannel(instance: string): string {
  return `berth:${instance}:tokens`;
}

/** Cancel and stop requests from the API to whichever worker can act on them. */
export function controlChannel(instance: string): string {
  return `berth:${instance}:control`;
}

/** Per-deployment log sequence counter (INCRBY gives each batch its range). */
export function logSeqKey(instance: string, deploymentId: string): string {
  return `berth:${instance}:logseq:${deploymentId}`;
}

/** Lease of the one worker that follows a deployment's runtime output. */
export function runtimeFollowKey(instance: string, deploymentId: string): string {
  return `berth:${instance}:runtime-follow:${deploymentId}`;
}

/** The deploy rate limiter's counters. */
export function deployRateKey(instance: string): string {
  return `berth:${instance}:rate:deploy`;
}

/** The sign-in rate limiter's counters (per account and per client address). */
/** Requests by strangers per client address (apps/api/src/access/stranger-throttle.ts). */
export function strangerRateKey(instance: string): string {
  return `berth:${instance}:rate:stranger`;
}

export function loginRateKey(instance: string): string {
  return `berth:${instance}:rate:login`;
}

/** BullMQ's key prefix (BullMQ adds `:<queue>:…`). */
export function queuePrefix(instance: string): string {
  return `berth-${instance}`;
}

/** Every live worker's id, scored by its last heartbeat (ms); members whose detail key expired are gone. */
export function workersKey(instance: string): string {
  return `berth:${instance}:workers`;
}

/** One worker's last heartbeat (JSON, with a TTL): what `GET /api/workers` and `npm run status` show. */
export function workerKey(instance: string, workerId: string): string {
  return `berth:${instance}:worker:${workerId}`;
}

/** One process's published metrics (JSON of its prom-client registry), with a TTL. */
export function metricsKey(instance: string, processId: string): string {
  return `berth:${instance}:metrics:${processId}`;
}

/** Which processes published metrics (sorted by when their key expires), so readers need no SCAN. */
export function metricsIndexKey(instance: string): string {
  return `berth:${instance}:metrics-index`;
}

/** Held for one sampling interval by the worker that samples a Docker host's app containers (its Docker ID). */
export function appMetricsLockKey(instance: string, dockerHostId: string): string {
  return `berth:${instance}:app-metrics:${dockerHostId}`;
}
