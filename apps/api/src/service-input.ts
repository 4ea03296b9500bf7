import { z } from '@berth/shared/config';
import { zodBody } from './zod-body.ts';

// What POST /api/projects/:name/services takes, checked as an attacker would send it.

/** A service's name: its host name on the project's network (a DNS label, short). */
export const serviceNamePattern = /^[a-z](?:[a-z0-9-]{0,30}[a-z0-9])?$/;

/** The variable a service's URL is given to the apps in. */
export const serviceEnvName = z.string().regex(/^[A-Z_][A-Z0-9_]{0,63}$/, 'must be an environment variable name: capital letters, digits and _');

export const serviceName = z.string().regex(serviceNamePattern, 'must be 1-32 lowercase letters, digits or inner hyphens, starting with a letter');

export const serviceAddSchema = z
  .object({
    type: z.enum(['postgres', 'redis']),
    name: serviceName.optional().describe('its host name for the apps; defaults to the type'),
    version: z
      .string()
      .regex(/^[0-9][a-z0-9._-]{0,39}$/, 'must be a version tag such as 16 or 7.2')
      .optional()
      .describe("the image's tag (BERTH_POSTGRES_IMAGE / BERTH_REDIS_IMAGE with this tag); defaults to the setting's"),
    envName: serviceEnvName
      .optional()
      .describe('the variable the apps get the URL in; DATABASE_URL (postgres) or REDIS_URL (redis) by default'),
    previews: z.boolean().optional().describe("true: the project's previews get it too (the same data); false (default): production releases only"),
  })
  .strict();
export const serviceAddBody = zodBody(serviceAddSchema);
