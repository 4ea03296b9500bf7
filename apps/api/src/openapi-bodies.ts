import type { z } from '@berth/shared/config';
import { deploymentFieldsSchema } from './deployment-input.ts';
import { deployJsonSchema } from './project-input.ts';
import { jsonSchemaOf } from './zod-body.ts';

/**
 * What the contract says about the bodies the routes read themselves (JSON or
 * multipart on one route: the JSON part is generated from the zod schema the
 * route parses, the multipart part describes the form fields it reads) and the
 * answers they write by hand (event streams). JSON-only bodies are
 * zodBody()s in their routes and need nothing here (zod-body.ts).
 */

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
    'multipart/form-data': { schema: multipartOf(deployJsonSchema.omit({ ref: true, image: true }), 'an archive upload; env is a JSON object') },
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

/** A service backup's download: written by hand (a stream), so documented here. */
export const backupDownloadResponse = {
  200: {
    description: "the backup, decrypted: gzip of pg_dump's custom format (Postgres) or of a Redis RDB snapshot",
    content: { 'application/gzip': { schema: { type: 'string', format: 'binary' } } },
  },
};
