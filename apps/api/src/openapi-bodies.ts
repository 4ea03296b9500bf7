import { z } from '@berth/shared/config';
import { deploymentFieldsSchema } from './deployment-input.ts';
import { deployJsonSchema, settingsProperties } from './project-input.ts';

/**
 * What the contract says about the bodies the routes read themselves (zod,
 * JSON or multipart alike) and the answers they write by hand (event
 * streams). Documentation only: Fastify never validates with these.
 */

function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

const archiveField = {
  type: 'string',
  contentMediaType: 'application/octet-stream',
  description: 'the project as a .zip or .tar.gz (recognised by its first bytes)',
};

/** Multipart: the archive plus the same fields as strings (env as a JSON object string). */
function multipartOf(schema: z.ZodType, description: string) {
  const json = jsonSchemaOf(schema) as { properties?: Record<string, unknown> };
  const fields = Object.fromEntries(Object.keys(json.properties ?? {}).map((k) => [k, { type: 'string' }]));
  return { type: 'object', description, properties: { projectArchive: archiveField, ...fields }, required: ['projectArchive'] };
}

export const deploymentBody = {
  content: {
    'application/json': { schema: jsonSchemaOf(deploymentFieldsSchema) },
    'multipart/form-data': { schema: multipartOf(deploymentFieldsSchema, 'an archive upload; env is a JSON object') },
  },
};

export const projectDeployBody = {
  content: {
    'application/json': { schema: jsonSchemaOf(deployJsonSchema) },
    'multipart/form-data': { schema: multipartOf(deployJsonSchema.omit({ ref: true }), 'an archive upload; env is a JSON object') },
  },
};

export const gitHookBody = {
  content: {
    'application/json': {
      schema: {
        type: 'object',
        description: "the git host's push event, signed with the project's hook secret (X-Hub-Signature-256, X-Gitea-Signature or X-Berth-Signature)",
      },
    },
  },
};

/** A Server-Sent Events answer: `id:` (seq), `event:` (log | status | resume | …) and a JSON `data:` line per event. */
export const eventStreamResponse = {
  200: {
    description: 'a text/event-stream; reconnect with Last-Event-ID (or ?since=) to resume without gaps',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  },
};

const replicasProperty = {
  type: 'integer',
  minimum: 1,
  description: 'copies to run, 1 to SWARM_MAX_REPLICAS (more than 1 needs BERTH_RUNTIME=swarm); stopping is DELETE',
};

export const scaleBody = {
  content: {
    'application/json': {
      schema: { type: 'object', properties: { replicas: replicasProperty }, required: ['replicas'], additionalProperties: false },
    },
  },
};

export const projectPatchBody = {
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: {
          ...settingsProperties,
          replicas: { ...replicasProperty, description: `${replicasProperty.description}; new releases take it, and the current release is scaled to it at once` },
        },
        additionalProperties: false,
      },
    },
  },
};
