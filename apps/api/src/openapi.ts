import type { FastifyInstance, RouteOptions } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { sessionCookieName } from '@berth/shared/accounts/session-store';
import { csrfHeader } from './access/csrf.ts';
import { describeNeed } from './access/decide.ts';
import type { RouteAction } from './access/route-access.ts';
import { operations } from './openapi-operations.ts';
import { describeZodBody } from './zod-body.ts';

export const DOCS_PREFIX = '/docs';

/** `/api/projects/:name` → `/api/projects/{name}`, the document's spelling. */
export function openApiPath(url: string): string {
  return url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/**
 * The documentation pages are public (the contract is no secret: it names
 * routes, never data, and every route still checks its own token). Must be
 * installed before installAuth, whose onRoute hook reads `config.action`.
 */
export function openDocsRoutes(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    if (route.url === DOCS_PREFIX || route.url.startsWith(`${DOCS_PREFIX}/`)) {
      route.config = { ...route.config, action: 'public' };
    }
  });
}

/** Who may call a route, in words (docs/security.md has the whole table). */
function accessNote(action: RouteAction | undefined): string {
  if (action === 'public') return 'No credential needed.';
  if (action === undefined) return '';
  return `Access: \`${action}\`, which needs ${describeNeed(action)}.`;
}

/** Fills in what every operation needs from the route itself: its name, tag, summary and security. */
function describeRoute({ schema, url, route }: { schema: unknown; url: string; route: RouteOptions }) {
  const method = [route.method].flat()[0]!;
  const key = `${method} ${openApiPath(url)}`;
  const doc = operations[key];
  const base = describeZodBody((schema ?? {}) as Record<string, unknown>);
  if (base.hide || !doc) return { schema: base, url };
  const action = route.config?.action;
  const tag = url.split('/')[url.startsWith('/api/') ? 2 : 1]!.replace(/\.json$/, '') || 'health';
  return {
    url,
    schema: {
      ...base,
      ...(doc.body ? { body: doc.body } : {}),
      ...(doc.responses ? { response: { ...doc.responses, ...(base.response as object) } } : {}),
      operationId: doc.operationId,
      summary: doc.summary,
      description: [base.description, accessNote(action)].filter(Boolean).join('\n\n'),
      tags: [tagFor(tag)],
      security: action === 'public' ? [] : [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
  };
}

function tagFor(segment: string): string {
  switch (segment) {
    case 'healthz':
    case 'readyz':
      return 'health';
    case 'hooks':
    case 'tls':
      return 'integrations';
    case 'openapi':
      return 'meta';
    default:
      return segment;
  }
}

/** A route registered without a name in openapi-operations.ts fails the app's start, not a later scrape of the document. */
function requireOperationDocs(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const hidden = (route.schema as { hide?: boolean } | undefined)?.hide;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD' || hidden) continue;
      const key = `${method} ${openApiPath(route.url)}`;
      if (!operations[key]) throw new Error(`route ${key} has no entry in openapi-operations.ts`);
    }
  });
}

/** The OpenAPI 3.1 document (GET /api/openapi.json, public) and its pages at /docs. Register before the routes. */
export async function installOpenApi(app: FastifyInstance): Promise<void> {
  requireOperationDocs(app);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Berth API',
        version: '0.1.0',
        description: 'Deploy apps from git or an archive, follow their builds, manage projects, domains, webhooks and tokens.',
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API token (berth token create; scopes read < deploy < admin) or a project deploy key' },
          sessionCookie: { type: 'apiKey', in: 'cookie', name: sessionCookieName, description: `A signed-in session; requests that change something also send the ${csrfHeader} header` },
        },
      },
      security: [{ bearerAuth: [] }, { sessionCookie: [] }],
    },
    transform: describeRoute as never,
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: true,
    uiConfig: { url: '/api/openapi.json', validatorUrl: null } as never,
  });
  app.get(
    '/api/openapi.json',
    { config: { action: 'public' }, schema: { response: { 200: { type: 'object', additionalProperties: true } } } },
    async () => app.swagger(),
  );
}
