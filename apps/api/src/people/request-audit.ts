import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry } from '@berth/shared/accounts/audit-chain';
import type { AuditLog } from '@berth/shared/accounts/audit-log';
import type { AuditResult } from '@berth/shared/accounts/tables';
import type { Logger } from '@berth/shared/logger';
import { GroupCommit } from '../group-commit.ts';
import { isSafeMethod } from '../access/csrf.ts';
import { auditEntry } from './audit.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The route wrote its own audit row (sign-in, members, tokens...): the generic one is not written. */
    audited: boolean;
  }
}

/** 401, 403, 404 and 429: the caller was refused; other 4xx and 5xx: it failed. */
function resultOf(status: number): AuditResult {
  if (status < 400) return 'ok';
  return [401, 403, 404, 429].includes(status) ? 'denied' : 'failed';
}

/** Env routes: the names of the variables a request set or removed (never their values). */
function envNames(request: FastifyRequest): string[] | undefined {
  if (request.routeOptions.config.action !== 'project.env.update') return undefined;
  const body = request.body as { env?: Record<string, unknown>; buildEnv?: Record<string, unknown> } | undefined;
  return [...Object.keys(body?.env ?? {}), ...Object.keys(body?.buildEnv ?? {}).map((k) => `build:${k}`)].sort();
}

/** The project a request names in its JSON body (POST /api/projects, POST /api/deployments). */
function namedInBody(request: FastifyRequest): string | undefined {
  const name = (request.body as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' && name.length <= 100 ? name : undefined;
}

/** The audit row of a state-changing request whose route wrote none itself. */
export function requestAuditEntry(request: FastifyRequest, status: number): AuditEntry {
  const params = request.params as Record<string, string | undefined>;
  const names = envNames(request);
  const route = `${request.method} ${request.routeOptions.url}`;
  const { action } = request.routeOptions.config;
  const project = params.name ?? request.deploymentProject ?? namedInBody(request);
  return auditEntry(request, {
    // A public route has no policy action: the route names what happened (a git hook delivery).
    action: action === 'public' || action === undefined ? `request ${route}` : action,
    result: resultOf(status),
    ...(params.id ? { targetKind: 'deployment', targetId: params.id } : params.name ? { targetKind: 'project', targetId: params.name } : {}),
    ...(project ? { project } : {}),
    detail: { route, status, ...(names ? { names } : {}) },
  });
}

/**
 * Every state-changing request (not GET, HEAD or OPTIONS; and a GET whose route
 * says `auditedRead`: a terminal's upgrade, refused ones too) that reached a route is one audit row: who, what, on what, from where, how it ended.
 * Written after the answer (a client never waits for it), in batches (one
 * transaction per batch: see GroupCommit), and a write that fails is logged,
 * never lost silently. Routes that record richer rows themselves
 * (people/audit.ts) set `request.audited`.
 */
export function installRequestAudit(app: FastifyInstance, audit: Pick<AuditLog, 'appendMany'>, logger: Logger): void {
  const writes = new GroupCommit<AuditEntry, null>(async (entries) => {
    await audit.appendMany(entries);
    return entries.map(() => ({ ok: true, value: null }));
  }, 1, 200);
  app.decorateRequest('audited', false);
  app.addHook('onResponse', async (request, reply) => {
    if (request.audited || request.is404 || (isSafeMethod(request.method) && !request.routeOptions.config.auditedRead)) return;
    const entry = requestAuditEntry(request, reply.statusCode);
    writes.submit(entry).catch((err: unknown) => logger.error({ err, action: entry.action, route: entry.detail }, 'could not write an audit row'));
  });
}
