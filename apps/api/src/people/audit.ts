import type { FastifyRequest } from 'fastify';
import type { AuditEntry } from '@berth/shared/accounts/audit-chain';
import type { AuditResult } from '@berth/shared/accounts/tables';
import { clientOrigin } from './client-origin.ts';

export interface AuditFields {
  action: string;
  result?: AuditResult;
  targetKind?: string;
  targetId?: string;
  project?: string;
  detail?: Record<string, unknown>;
}

/** An audit entry for what the request's caller did (actor and client address from the request). */
export function auditEntry(request: FastifyRequest, fields: AuditFields): AuditEntry {
  // The route records this request itself: the generic row (request-audit.ts) is not written.
  request.audited = true;
  const { actor } = request.caller;
  return {
    actorKind: actor.kind,
    actorId: actor.id,
    actorName: actor.name,
    clientAddress: clientOrigin(request).address,
    result: fields.result ?? 'ok',
    action: fields.action,
    targetKind: fields.targetKind ?? null,
    targetId: fields.targetId ?? null,
    project: fields.project ?? null,
    detail: fields.detail ?? {},
  };
}
