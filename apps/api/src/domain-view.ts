import type { FromSchema } from 'json-schema-to-ts';
import type { DomainRow } from '@berth/shared/domain-store';
import { challengeName } from './domain-proof.ts';

/** What the API shows of a custom domain: while pending, the DNS record that proves it. */
export const domainViewSchema = {
  type: 'object',
  properties: {
    hostname: { type: 'string' },
    project: { type: 'string' },
    url: { type: 'string', description: 'https://<hostname>, with the port when Caddy serves HTTPS on another than 443' },
    createdAt: { type: 'string' },
    status: {
      type: 'string',
      enum: ['pending', 'verified'],
      description: 'pending: not routed and no certificate until verified (POST …/domains/:hostname/verify); verified: served',
    },
    verifiedAt: { type: ['string', 'null'] },
    verification: {
      type: 'object',
      description: 'while pending: the DNS record to create before asking to verify',
      properties: {
        type: { type: 'string', enum: ['TXT'] },
        name: { type: 'string', description: '_berth-challenge.<hostname>' },
        value: { type: 'string', description: "this domain's token" },
      },
      required: ['type', 'name', 'value'],
      additionalProperties: false,
    },
  },
  required: ['hostname', 'project', 'url', 'createdAt', 'status', 'verifiedAt'],
  additionalProperties: false,
} as const;
export type DomainView = FromSchema<typeof domainViewSchema>;

export const domainListSchema = {
  type: 'object',
  properties: { items: { type: 'array', items: domainViewSchema } },
  required: ['items'],
  additionalProperties: false,
} as const;

/** A row as the API shows it; `httpsPort` is PUBLIC_HTTPS_PORT. */
export function domainView(row: DomainRow, httpsPort: number): DomainView {
  const port = httpsPort === 443 ? '' : `:${httpsPort}`;
  const pending = row.verifiedAt === null;
  return {
    hostname: row.hostname,
    project: row.project,
    url: `https://${row.hostname}${port}`,
    createdAt: row.createdAt.toISOString(),
    status: pending ? 'pending' : 'verified',
    verifiedAt: row.verifiedAt?.toISOString() ?? null,
    ...(pending && row.verificationToken !== null
      ? { verification: { type: 'TXT' as const, name: challengeName(row.hostname), value: row.verificationToken } }
      : {}),
  };
}
