import type { FastifyRequest } from 'fastify';
import type { AuditRecord } from '@berth/shared/accounts/audit-chain';
import { auditPageMax, type AuditLog, type AuditQuery } from '@berth/shared/accounts/audit-log';
import { may, visibleProjects } from '@berth/shared/accounts/policy';
import { BerthError } from '@berth/shared/errors';
import { assertMay } from '../access/decide.ts';
import type { ApiPlugin } from './api-plugin.ts';
import { errorResponses } from './error-schema.ts';

export interface AuditRoutesOptions {
  audit: Pick<AuditLog, 'query'>;
}

const query = {
  type: 'object',
  properties: {
    project: { type: 'string', maxLength: 64, description: "only this project's rows" },
    actor: { type: 'string', maxLength: 64, description: 'only rows of this actor id (a user, token or deploy key id)' },
    action: { type: 'string', maxLength: 100, description: 'an action (`member.add`), or all of a kind (`member.*`)' },
    before: { type: 'integer', minimum: 1, description: "rows older than this id: the previous page's nextBefore" },
    limit: { type: 'integer', minimum: 1, maximum: auditPageMax, description: 'rows per page (50 unless asked)' },
  },
  additionalProperties: false,
} as const;
const nullable = { type: ['string', 'null'] } as const;
const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'integer' },
    at: { type: 'string' },
    actorKind: { type: 'string', enum: ['user', 'token', 'deploy-key', 'system', 'anonymous'] },
    actorId: nullable,
    actorName: nullable,
    action: { type: 'string' },
    targetKind: nullable,
    targetId: nullable,
    project: nullable,
    clientAddress: nullable,
    result: { type: 'string', enum: ['ok', 'denied', 'failed'] },
    detail: { type: 'object', additionalProperties: true },
  },
  required: ['id', 'at', 'actorKind', 'actorId', 'actorName', 'action', 'targetKind', 'targetId', 'project', 'clientAddress', 'result', 'detail'],
  additionalProperties: false,
} as const;
const pageSchema = {
  type: 'object',
  properties: {
    items: { type: 'array', items: entrySchema },
    nextBefore: { type: ['integer', 'null'], description: 'pass as before for the next (older) page; null on the last' },
  },
  required: ['items', 'nextBefore'],
  additionalProperties: false,
} as const;

const view = (r: AuditRecord) => ({
  id: r.id,
  at: r.at.toISOString(),
  actorKind: r.actorKind,
  actorId: r.actorId,
  actorName: r.actorName,
  action: r.action,
  targetKind: r.targetKind,
  targetId: r.targetId,
  project: r.project,
  clientAddress: r.clientAddress,
  result: r.result,
  detail: r.detail,
});

/** Which rows the caller may read: owners everything, project admins their projects' rows. */
function scopeFor(request: FastifyRequest, project: string | undefined): Pick<AuditQuery, 'project' | 'projects'> {
  const { principal } = request.caller;
  if (project !== undefined) {
    if (may(principal, 'audit.read') !== 'allow') assertMay(request, 'project.audit.read', project);
    return { project };
  }
  if (may(principal, 'audit.read') === 'allow') return {};
  const visible = visibleProjects(principal);
  const administered = visible === 'all' ? [] : [...visible].filter((p) => may(principal, 'project.audit.read', p) === 'allow');
  if (administered.length === 0) throw new BerthError('FORBIDDEN', 'the audit log is for owners and for project admins (their projects)');
  return { projects: administered };
}

/** The audit log, newest first, a page at a time. */
export const auditRoutes: ApiPlugin<AuditRoutesOptions> = async (app, { audit }) => {
  app.get(
    '/api/audit',
    {
      config: { action: 'project.audit.read', project: 'handler' },
      schema: { querystring: query, response: { 200: pageSchema, ...errorResponses } },
    },
    async (request) => {
      const { project, actor, action, before, limit } = request.query;
      const page = await audit.query({
        ...scopeFor(request, project),
        ...(actor !== undefined ? { actorId: actor } : {}),
        ...(action !== undefined ? { action } : {}),
        ...(before !== undefined ? { before } : {}),
        ...(limit !== undefined ? { limit } : {}),
      });
      return { items: page.entries.map(view), nextBefore: page.nextBefore };
    },
  );
};
