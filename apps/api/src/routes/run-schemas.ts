import { logStreams } from '@berth/shared/log-line';

// The JSON schemas of the runs' and jobs' routes (runs.ts, jobs.ts).

export const runViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    project: { type: 'string' },
    kind: { type: 'string', enum: ['one-off', 'job'] },
    command: { type: 'string' },
    status: { type: 'string', enum: ['queued', 'running', 'succeeded', 'failed', 'canceled', 'skipped'] },
    exitCode: { type: ['integer', 'null'], description: "the command's exit code; null until it ends, or when it was killed (timeout, cancel) or never started" },
    errorCode: { type: ['string', 'null'], description: 'why it failed: RUN_FAILED (non-zero exit), RUN_TIMED_OUT, RUN_IMAGE_GONE, NO_RELEASE, ORPHANED, CANCELED' },
    errorMessage: { type: ['string', 'null'] },
    deploymentId: { type: ['string', 'null'], description: 'the release whose image, env and volumes it ran with' },
    timeoutMs: { type: 'integer' },
    createdAt: { type: 'string' },
    startedAt: { type: ['string', 'null'] },
    finishedAt: { type: ['string', 'null'] },
  },
  required: ['id', 'project', 'kind', 'command', 'status', 'exitCode', 'errorCode', 'errorMessage', 'deploymentId', 'timeoutMs', 'createdAt', 'startedAt', 'finishedAt'],
  additionalProperties: false,
} as const;

export const listSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: runViewSchema } },
  required: ['items'],
  additionalProperties: false,
} as const;

const name = { type: 'string', minLength: 1, maxLength: 100 } as const;
export const projectParams = { type: 'object', properties: { name }, required: ['name'] } as const;
export const runParams = {
  type: 'object',
  properties: { name, run: { type: 'string', pattern: '^[a-z0-9]{1,64}$' } },
  required: ['name', 'run'],
} as const;
export const jobParams = { type: 'object', properties: { name, job: name }, required: ['name', 'job'] } as const;

export const logsQuery = {
  type: 'object',
  properties: {
    since: { type: 'integer', minimum: 0, default: 0 },
    limit: { type: 'integer', minimum: 1, maximum: 10000, default: 1000 },
  },
  additionalProperties: false,
} as const;

export const logsPageSchema = {
  type: 'object',
  properties: {
    runId: { type: 'string' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { seq: { type: 'integer' }, ts: { type: 'string' }, stream: { type: 'string', enum: logStreams }, line: { type: 'string' } },
        required: ['seq', 'ts', 'stream', 'line'],
        additionalProperties: false,
      },
    },
    nextSince: { type: 'integer', description: 'pass as `since` for the next page' },
    hasMore: { type: 'boolean' },
  },
  required: ['runId', 'lines', 'nextSince', 'hasMore'],
  additionalProperties: false,
} as const;
