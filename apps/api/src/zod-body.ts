import type { FastifyInstance, RouteOptions } from 'fastify';
import { z } from '@berth/shared/config';
import { parseBody } from './deployment-input.ts';

/**
 * One path for JSON bodies: a route's `schema.body` is `zodBody(schema)`, the
 * zod schema checks the body (installZodBodies) and the OpenAPI document is
 * generated from the same schema (openapi.ts). ajv, which coerces types, keeps
 * params and querystrings (strings on the wire) and never sees these bodies.
 */
const ZOD_BODY = Symbol('berth.zodBody');

/**
 * A body schema Fastify hands to ajv as `{}` (accept anything: the zod parse
 * runs before it, in preValidation); the schema rides along under a symbol,
 * which object spreads keep and ajv does not read.
 */
export interface ZodBody<T extends z.ZodType = z.ZodType> {
  readonly [ZOD_BODY]: T;
}

export function zodBody<T extends z.ZodType>(schema: T): ZodBody<T> {
  return { [ZOD_BODY]: schema };
}

function zodSchemaOf(body: unknown): z.ZodType | undefined {
  return body && typeof body === 'object' ? (body as Partial<ZodBody>)[ZOD_BODY] : undefined;
}

/** A zod schema as the JSON Schema a client sends (`io: 'input'`: what coercions accept). */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

/** A route schema with a marked body replaced by its JSON Schema (for the OpenAPI document). */
export function describeZodBody(schema: Record<string, unknown>): Record<string, unknown> {
  const zod = zodSchemaOf(schema.body);
  return zod ? { ...schema, body: jsonSchemaOf(zod) } : schema;
}

/**
 * The body a marked route's handler reads: already parsed by its schema
 * (installZodBodies), so the cast names the type the parse produced.
 */
export function bodyOf<T extends z.ZodType>(_schema: T, request: { body: unknown }): z.output<T> {
  return request.body as z.output<T>;
}

/** Every route whose `schema.body` is marked parses it with zod before Fastify's validation; a bad body is VALIDATION_FAILED naming the field. */
export function installZodBodies(app: FastifyInstance): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const zod = zodSchemaOf(route.schema?.body);
    if (!zod) return;
    const parse = async (request: { body: unknown }) => {
      request.body = parseBody(zod, request.body);
    };
    route.preValidation = [...[route.preValidation ?? []].flat(), parse] as RouteOptions['preValidation'];
  });
}
