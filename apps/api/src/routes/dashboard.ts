import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { dashboardDistDir } from '@berth/dashboard/dist-dir';
import { errorCatalog } from '@berth/shared/errors';

export interface DashboardRoutesOptions {
  /** The built dashboard (index.html, assets/); apps/dashboard/dist unless a test says otherwise. */
  distDir?: string;
}

const open = { action: 'public' } as const;
/** Pages, not API operations: left out of the OpenAPI document. */
const hidden = { hide: true } as const;

/** The page runs only its own bundled script and styles, loads nothing elsewhere, and cannot be framed. */
const securityHeaders = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
} as const;

/** A built asset's name: Vite's hashed files, no directories, no dotfiles. */
const assetName = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,200}$/;

/**
 * The web dashboard, same origin as the API: exactly two public routes, `/`
 * (index.html; the dashboard routes by URL hash) and `/assets/:file`.
 * Everything else stays behind the token. A missing build is a 503 that says
 * how to make it, not a failed start.
 */
export async function dashboardRoutes(app: FastifyInstance, options: DashboardRoutesOptions): Promise<void> {
  const root = options.distDir ?? dashboardDistDir;
  await app.register(fastifyStatic, { root, serve: false, index: false, dotfiles: 'deny', etag: true, lastModified: false });
  const notBuilt = (reply: FastifyReply) =>
    reply.status(errorCatalog.DASHBOARD_NOT_BUILT.status).headers(securityHeaders).send({
      error: { code: 'DASHBOARD_NOT_BUILT', message: `the dashboard is not built (${root} has no index.html): run npm run build` },
    });

  app.get('/', { config: open, schema: hidden }, async (_request, reply) => {
    if (!existsSync(path.join(root, 'index.html'))) return notBuilt(reply);
    return reply.headers(securityHeaders).header('cache-control', 'no-cache').sendFile('index.html', root, { cacheControl: false });
  });

  app.get<{ Params: { file: string } }>('/assets/:file', { config: open, schema: hidden }, async (request, reply) => {
    const { file } = request.params;
    if (!existsSync(path.join(root, 'index.html'))) return notBuilt(reply);
    if (!assetName.test(file) || file.includes('..') || !existsSync(path.join(root, 'assets', file))) {
      return reply.status(404).send({ error: { code: 'NOT_FOUND', message: 'no such asset' } });
    }
    // Names carry a content hash: a browser may keep them for good.
    return reply
      .headers(securityHeaders)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .sendFile(file, path.join(root, 'assets'), { cacheControl: false });
  });
}
