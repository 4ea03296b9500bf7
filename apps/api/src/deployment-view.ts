import type { FromSchema } from 'json-schema-to-ts';
import type { DeploymentRow } from '@berth/shared/db';
import { deploymentStatuses } from '@berth/shared/deployment-state';
import { publicDeployment } from '@berth/shared/deployment-shape';
import { redactUrl } from '@berth/shared/redact';
import type { ApiConfig } from './config.ts';
import { releaseProcesses, releaseProcessSchema } from './process-view.ts';

export type Urls = Pick<ApiConfig, 'BASE_DOMAIN' | 'PUBLIC_PORT' | 'PUBLIC_SCHEME'>;

export function hostUrl(urls: Urls, label: string): string {
  return baseUrl(urls).replace('://', `://${label}.`);
}

/** The base domain's own URL (the API behind Caddy). */
export function baseUrl(urls: Urls): string {
  const defaultPort = urls.PUBLIC_SCHEME === 'https' ? 443 : 80;
  const port = urls.PUBLIC_PORT === defaultPort ? '' : `:${urls.PUBLIC_PORT}`;
  return `${urls.PUBLIC_SCHEME}://${urls.BASE_DOMAIN}${port}`;
}

const nullableString = { type: ['string', 'null'] } as const;

/**
 * The response schema of a deployment. Fastify serializes with it and drops
 * whatever it does not list, and `deploymentView` is typed from it, so the
 * two cannot drift apart.
 */
export const deploymentViewSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    project: { type: 'string' },
    status: { type: 'string', enum: deploymentStatuses },
    errorCode: nullableString,
    errorMessage: nullableString,
    source: {
      oneOf: [
        {
          type: 'object',
          properties: {
            type: { type: 'string', const: 'git' },
            gitUrl: { ...nullableString, description: 'credentials redacted' },
            ref: nullableString,
            rootDir: { type: 'string' },
          },
          required: ['type', 'gitUrl', 'ref', 'rootDir'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            type: { type: 'string', const: 'archive' },
            format: { type: ['string', 'null'], enum: ['zip', 'tar.gz', null] },
            rootDir: { type: 'string' },
          },
          required: ['type', 'format', 'rootDir'],
          additionalProperties: false,
        },
        {
          type: 'object',
          properties: {
            type: { type: 'string', const: 'image' },
            image: { type: 'string', description: 'the prebuilt image as asked (a tag or a digest)' },
            digest: { ...nullableString, description: 'the manifest digest the pull got: what runs (null until pulled)' },
          },
          required: ['type', 'image', 'digest'],
          additionalProperties: false,
        },
      ],
    },
    port: { type: 'integer' },
    envKeys: { type: 'array', items: { type: 'string' }, description: 'env values are secrets: only their names are shown' },
    url: { type: 'string' },
    projectUrl: { type: 'string' },
    commitSha: { ...nullableString, description: 'the commit a git source resolved to' },
    promote: { type: 'boolean', description: 'false for a preview: it never takes the project URL by itself' },
    current: { type: 'boolean', description: 'whether the project URL serves this deployment now' },
    healthPath: { type: 'string' },
    replicas: { type: 'integer', description: 'copies it should run (Swarm mode; docker mode runs one): PATCH to scale' },
    processes: {
      type: 'array',
      items: releaseProcessSchema,
      description: "its process types (berth.json processes or a Procfile), web first; processes besides web run only while it is its project's current release (docker mode)",
    },
    releaseOf: { ...nullableString, description: 'the release whose image this one runs (a rollback)' },
    retiredAt: { ...nullableString, description: 'when the project URL moved away from it (it drains, then stops)' },
    queuePosition: { type: ['integer', 'null'], description: 'while queued: 1 = next to be taken' },
    createdAt: { type: 'string' },
    updatedAt: { type: 'string' },
    finishedAt: nullableString,
    links: {
      type: 'object',
      properties: { self: { type: 'string' }, logs: { type: 'string' }, events: { type: 'string' } },
      required: ['self', 'logs', 'events'],
      additionalProperties: false,
    },
  },
  required: [
    'id',
    'project',
    'status',
    'errorCode',
    'errorMessage',
    'source',
    'port',
    'envKeys',
    'url',
    'projectUrl',
    'commitSha',
    'promote',
    'current',
    'healthPath',
    'replicas',
    'processes',
    'releaseOf',
    'retiredAt',
    'queuePosition',
    'createdAt',
    'updatedAt',
    'finishedAt',
    'links',
  ],
  additionalProperties: false,
} as const;

export type DeploymentView = FromSchema<typeof deploymentViewSchema>;

/**
 * The API's view of a deployment: the public fields every view shows (the
 * webhook payload too), with its source, URLs and place. Env values are
 * secrets: only their names are shown.
 */
export function deploymentView(
  row: DeploymentRow,
  urls: Urls,
  extra: { current?: boolean; queuePosition?: number | null } = {},
): DeploymentView {
  const self = `/api/deployments/${row.id}`;
  return {
    ...publicDeployment(row),
    source: sourceView(row),
    port: row.port,
    envKeys: Object.keys(row.env).sort(),
    url: hostUrl(urls, row.id),
    projectUrl: hostUrl(urls, row.project),
    promote: row.promote,
    current: extra.current ?? false,
    healthPath: row.health_path,
    replicas: row.replicas,
    processes: releaseProcesses(row),
    retiredAt: row.retired_at?.toISOString() ?? null,
    queuePosition: extra.queuePosition ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
    links: { self, logs: `${self}/logs`, events: `${self}/events` },
  };
}

function sourceView(row: DeploymentRow): DeploymentView['source'] {
  if (row.source_type === 'image') return { type: 'image' as const, image: row.source_image ?? '', digest: row.image_digest };
  return row.source_type === 'git'
    ? { type: 'git' as const, gitUrl: row.git_url && redactUrl(row.git_url), ref: row.git_ref, rootDir: row.root_dir }
    : { type: 'archive' as const, format: row.archive_format, rootDir: row.root_dir };
}
