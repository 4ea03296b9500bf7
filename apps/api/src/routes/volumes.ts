import type { FromSchema } from 'json-schema-to-ts';
import type { VolumeRow } from '@berth/shared/db';
import { volumeName } from '@berth/shared/docker-names';
import type { VolumeStore } from '@berth/shared/volume-store';
import type { ApiConfig } from '../config.ts';
import { volumeAddBody, volumeAddSchema } from '../volume-input.ts';
import { bodyOf } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface VolumeRoutesOptions {
  volumes: Pick<VolumeStore, 'add' | 'list' | 'remove'>;
  config: Pick<ApiConfig, 'BERTH_INSTANCE' | 'BERTH_RUNTIME' | 'MAX_VOLUMES_PER_PROJECT'>;
}

const read = { action: 'project.read', project: 'param' } as const;
/** A volume changes what every release runs with (and deleting one loses data): the project's admins. */
const update = { action: 'project.settings.update', project: 'param' } as const;

const volumeViewSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    project: { type: 'string' },
    mountPath: { type: 'string' },
    dockerVolume: { type: 'string', description: 'the Docker named volume (by id: one made again under the same name starts empty)' },
    bytesUsed: { type: ['integer', 'null'], description: 'as the workers last measured it (every REAPER_INTERVAL_MS); null until then' },
    measuredAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
  required: ['name', 'project', 'mountPath', 'dockerVolume', 'bytesUsed', 'measuredAt', 'createdAt'],
  additionalProperties: false,
} as const;
type VolumeView = FromSchema<typeof volumeViewSchema>;

const listSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: volumeViewSchema } },
  required: ['items'],
  additionalProperties: false,
} as const;
const projectName = { type: 'string', minLength: 1, maxLength: 100 } as const;
const projectParams = { type: 'object', properties: { name: projectName }, required: ['name'] } as const;
const volumeParams = {
  type: 'object',
  properties: { name: projectName, volume: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name', 'volume'],
} as const;
const deleteQuery = {
  type: 'object',
  properties: { force: { type: 'boolean', description: 'remove it although a running release mounts it (its data goes once no container uses it)' } },
  additionalProperties: false,
} as const;

/** A project's named volumes: mounted into each production release, kept across releases and rollbacks. */
export const volumeRoutes: ApiPlugin<VolumeRoutesOptions> = async (app, { volumes, config }) => {
  const view = (row: VolumeRow): VolumeView => ({
    name: row.name,
    project: row.project,
    mountPath: row.mount_path,
    dockerVolume: volumeName(config.BERTH_INSTANCE, row.id),
    bytesUsed: row.bytes_used === null ? null : Number(row.bytes_used),
    measuredAt: row.measured_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  });

  app.get(
    '/api/projects/:name/volumes',
    { config: read, schema: { params: projectParams, response: { 200: listSchema, ...errorResponses } } },
    async (request) => ({ items: (await volumes.list(request.params.name)).map(view) }),
  );

  app.post(
    '/api/projects/:name/volumes',
    { config: update, schema: { params: projectParams, body: volumeAddBody, response: { 201: volumeViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const body = bodyOf(volumeAddSchema, request);
      const row = await volumes.add(request.params.name, body, config.MAX_VOLUMES_PER_PROJECT);
      request.log.info({ project: row.project, volume: row.name, mountPath: row.mount_path }, 'volume added');
      return reply.status(201).send(view(row));
    },
  );

  app.delete(
    '/api/projects/:name/volumes/:volume',
    { config: update, schema: { params: volumeParams, querystring: deleteQuery, response: { 200: volumeViewSchema, ...errorResponses } } },
    async (request) => {
      const row = await volumes.remove(request.params.name, request.params.volume, request.query.force === true);
      request.log.info({ project: row.project, volume: row.name, force: request.query.force === true }, 'volume removed');
      return view(row);
    },
  );
};
