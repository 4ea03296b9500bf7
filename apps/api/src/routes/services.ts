import type { FromSchema } from 'json-schema-to-ts';
import type { ServiceRow } from '@berth/shared/db';
import { serviceContainerName, serviceVolumeName } from '@berth/shared/docker-names';
import { BerthError } from '@berth/shared/errors';
import { imageVersion, imageWithVersion, serviceKinds } from '@berth/shared/service-kinds';
import type { ServiceStore } from '@berth/shared/service-store';
import type { ApiConfig } from '../config.ts';
import { serviceAddBody, serviceAddSchema } from '../service-input.ts';
import { bodyOf } from '../zod-body.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface ServiceRoutesOptions {
  services: Pick<ServiceStore, 'add' | 'list' | 'requestDelete'>;
  config: Pick<ApiConfig, 'BERTH_INSTANCE' | 'BERTH_RUNTIME' | 'MAX_SERVICES_PER_PROJECT' | 'BERTH_POSTGRES_IMAGE' | 'BERTH_REDIS_IMAGE'>;
}

const read = { action: 'project.read', project: 'param' } as const;
/** A service changes what every release connects to (and deleting one may lose data): the project's admins. */
const update = { action: 'project.settings.update', project: 'param' } as const;

const serviceViewSchema = {
  type: 'object',
  properties: {
    name: { type: 'string', description: "its host name on the project's network" },
    project: { type: 'string' },
    type: { type: 'string', enum: ['postgres', 'redis'] },
    version: { type: 'string' },
    image: { type: 'string' },
    envName: { type: 'string', description: 'the variable the apps get its URL in (the password is in the URL; never shown here)' },
    previews: { type: 'boolean' },
    port: { type: 'integer' },
    status: { type: 'string', description: 'creating, starting, running, unhealthy, restarting, stopped, failed (statusMessage says why: an image missing) or deleting, as the workers last saw it' },
    statusMessage: { type: ['string', 'null'] },
    restarts: { type: 'integer', description: 'times Docker restarted it after it exited' },
    container: { type: 'string' },
    dataVolume: { type: 'string', description: 'the Docker volume holding its data (kept on DELETE unless deleteData)' },
    bytesUsed: { type: ['integer', 'null'], description: 'the data volume, as the workers last measured it; null until then' },
    measuredAt: { type: ['string', 'null'] },
    createdAt: { type: 'string' },
  },
  required: ['name', 'project', 'type', 'version', 'image', 'envName', 'previews', 'port', 'status', 'statusMessage', 'restarts', 'container', 'dataVolume', 'bytesUsed', 'measuredAt', 'createdAt'],
  additionalProperties: false,
} as const;
type ServiceView = FromSchema<typeof serviceViewSchema>;

const listSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: serviceViewSchema } },
  required: ['items'],
  additionalProperties: false,
} as const;
const projectName = { type: 'string', minLength: 1, maxLength: 100 } as const;
const projectParams = { type: 'object', properties: { name: projectName }, required: ['name'] } as const;
const serviceParams = {
  type: 'object',
  properties: { name: projectName, service: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['name', 'service'],
} as const;
const deleteQuery = {
  type: 'object',
  properties: { deleteData: { type: 'boolean', description: 'remove its data volume too (default: the volume is kept)' } },
  additionalProperties: false,
} as const;

/** A project's managed services (Postgres, Redis): private to the project's apps, which get their URLs in their env. */
export const serviceRoutes: ApiPlugin<ServiceRoutesOptions> = async (app, { services, config }) => {
  const view = (row: ServiceRow): ServiceView => ({
    name: row.name,
    project: row.project,
    type: row.type,
    version: row.version,
    image: row.image,
    envName: row.env_name,
    previews: row.previews,
    port: serviceKinds[row.type].port,
    status: row.status,
    statusMessage: row.status_message,
    restarts: row.restarts,
    container: serviceContainerName(config.BERTH_INSTANCE, row.id),
    dataVolume: serviceVolumeName(config.BERTH_INSTANCE, row.id),
    bytesUsed: row.bytes_used === null ? null : Number(row.bytes_used),
    measuredAt: row.measured_at?.toISOString() ?? null,
    createdAt: row.created_at.toISOString(),
  });

  app.get(
    '/api/projects/:name/services',
    { config: read, schema: { params: projectParams, response: { 200: listSchema, ...errorResponses } } },
    async (request) => ({ items: (await services.list(request.params.name)).map(view) }),
  );

  app.post(
    '/api/projects/:name/services',
    { config: update, schema: { params: projectParams, body: serviceAddBody, response: { 201: serviceViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const body = bodyOf(serviceAddSchema, request);
      if (config.BERTH_RUNTIME !== 'docker') {
        throw new BerthError('NEEDS_DOCKER_RUNTIME', 'services need BERTH_RUNTIME=docker (swarm mode would have to pin each to the node holding its volume)');
      }
      const setting = body.type === 'postgres' ? config.BERTH_POSTGRES_IMAGE : config.BERTH_REDIS_IMAGE;
      const image = body.version ? imageWithVersion(setting, body.version) : setting;
      const row = await services.add(
        request.params.name,
        { type: body.type, name: body.name ?? body.type, image, version: imageVersion(image), envName: body.envName ?? serviceKinds[body.type].defaultEnvName, previews: body.previews ?? false },
        config.MAX_SERVICES_PER_PROJECT,
      );
      request.log.info({ project: row.project, service: row.name, type: row.type, image }, 'service added');
      return reply.status(201).send(view(row));
    },
  );

  app.delete(
    '/api/projects/:name/services/:service',
    { config: update, schema: { params: serviceParams, querystring: deleteQuery, response: { 200: serviceViewSchema, ...errorResponses } } },
    async (request) => {
      const deleteData = request.query.deleteData === true;
      const row = await services.requestDelete(request.params.name, request.params.service, deleteData);
      request.log.info({ project: row.project, service: row.name, deleteData }, 'service deletion requested');
      return view(row);
    },
  );
};
