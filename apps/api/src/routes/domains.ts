import { checkCustomHostname } from '@berth/shared/custom-hostname';
import type { DomainRow, DomainStore } from '@berth/shared/domain-store';
import type { FastifyBaseLogger } from 'fastify';
import { z } from '@berth/shared/config';
import type { ApiConfig } from '../config.ts';
import type { StrangerThrottle } from '../access/stranger-throttle.ts';
import type { ApiInstance, ApiPlugin } from './api-plugin.ts';
import { errorResponses, errorSchema } from './error-schema.ts';
import { bodyOf, zodBody } from '../zod-body.ts';
import { checkDomainProof } from '../domain-proof.ts';
import { domainListSchema, domainView, domainViewSchema } from '../domain-view.ts';

export interface DomainRoutesOptions {
  domains: Pick<DomainStore, 'add' | 'list' | 'remove' | 'find' | 'markVerified' | 'isVerified'>;
  /** Pokes router-sync after a change. */
  announceRoutes: () => Promise<void>;
  config: Pick<
    ApiConfig,
    'BASE_DOMAIN' | 'PUBLIC_HTTPS_PORT' | 'MAX_DOMAINS_PER_PROJECT' | 'DOMAIN_VERIFICATION' | 'DOMAIN_VERIFY_DNS_SERVERS' | 'DOMAIN_VERIFY_TIMEOUT_MS'
  >;
  /** Questions per client address, counted before the lookup (an open door: Caddy sends no credential). */
  strangers?: Pick<StrangerThrottle, 'count'> | undefined;
}

const read = { action: 'project.read', project: 'param' } as const;
const update = { action: 'project.domains.update', project: 'param' } as const;
/** Caddy asks before it gets a certificate; it sends no token. */
const open = { action: 'public' } as const;

const projectName = { type: 'string', minLength: 1, maxLength: 100 } as const;
/** Loose here (a 400 names the rule broken: checkCustomHostname); 253 is DNS's own limit. */
const hostnameSchema = { type: 'string', minLength: 1, maxLength: 253 } as const;
const projectParams = {
  type: 'object',
  properties: { name: projectName },
  required: ['name'],
} as const;
const domainParams = {
  type: 'object',
  properties: { name: projectName, hostname: hostnameSchema },
  required: ['name', 'hostname'],
} as const;
const addSchema = z
  .object({ hostname: z.string().min(1).max(253).describe('a lowercase DNS name outside BASE_DOMAIN, e.g. app.example.com') })
  .strict();
export const domainAddBody = zodBody(addSchema);
const askQuery = {
  type: 'object',
  properties: { domain: { type: 'string', description: 'the name Caddy is about to get a certificate for' } },
} as const;
/** The ask endpoint answers with its status alone: no body (documented as such). */
const emptyBody = { type: 'null', description: 'no body' } as const;

/** Custom domains of a project, and the question Caddy asks before it gets a certificate for one. */
export const domainRoutes: ApiPlugin<DomainRoutesOptions> = async (app, opts) => {
  projectDomainRoutes(app, opts);
  verifyRoute(app, opts);
  tlsAskRoute(app, opts);
};

/**
 * Tells router-sync to rebuild now. Best effort: the change is committed, and
 * router-sync's periodic resync (RESYNC_INTERVAL_MS) picks it up anyway.
 */
async function poke(announceRoutes: () => Promise<void>, log: FastifyBaseLogger, hostname: string): Promise<void> {
  try {
    await announceRoutes();
  } catch (err) {
    log.warn({ err, hostname }, 'could not poke router-sync; its periodic resync will apply the domain change');
  }
}

function projectDomainRoutes(app: ApiInstance, { domains, announceRoutes, config }: DomainRoutesOptions): void {
  const view = (row: DomainRow) => domainView(row, config.PUBLIC_HTTPS_PORT);
  /** With verification off, the operator vouches for every name an admin adds. */
  const verifiedWhenAdded = config.DOMAIN_VERIFICATION === 'off';
  const pokeRouter = (log: FastifyBaseLogger, hostname: string) => poke(announceRoutes, log, hostname);

  app.get(
    '/api/projects/:name/domains',
    { config: read, schema: { params: projectParams, response: { 200: domainListSchema, ...errorResponses } } },
    async (request) => ({ items: (await domains.list(request.params.name)).map(view) }),
  );

  app.post(
    '/api/projects/:name/domains',
    { config: update, schema: { params: projectParams, body: domainAddBody, response: { 201: domainViewSchema, ...errorResponses } } },
    async (request, reply) => {
      const hostname = checkCustomHostname(bodyOf(addSchema, request).hostname, config.BASE_DOMAIN);
      const row = await domains.add(request.params.name, hostname, { limit: config.MAX_DOMAINS_PER_PROJECT, verified: verifiedWhenAdded });
      request.log.info({ project: row.project, hostname, verified: row.verifiedAt !== null }, 'domain added');
      if (row.verifiedAt) await pokeRouter(request.log, hostname);
      return reply.status(201).send(view(row));
    },
  );

  app.delete(
    '/api/projects/:name/domains/:hostname',
    { config: update, schema: { params: domainParams, response: { 200: domainViewSchema, ...errorResponses } } },
    async (request) => {
      const row = await domains.remove(request.params.name, request.params.hostname);
      request.log.info({ project: row.project, hostname: row.hostname }, 'domain removed');
      await pokeRouter(request.log, row.hostname);
      return view(row);
    },
  );
}

/** Checks a pending domain's TXT record and, when it holds the token, serves the domain. */
function verifyRoute(app: ApiInstance, { domains, announceRoutes, config }: DomainRoutesOptions): void {
  app.post(
    '/api/projects/:name/domains/:hostname/verify',
    { config: update, schema: { params: domainParams, response: { 200: domainViewSchema, ...errorResponses } } },
    async (request) => {
      const { name, hostname } = request.params;
      const found = await domains.find(name, hostname);
      if (found.verifiedAt) return domainView(found, config.PUBLIC_HTTPS_PORT);
      // With verification off, asking vouches for a name added while it was on, as adding would.
      if (config.DOMAIN_VERIFICATION !== 'off') await checkDomainProof(hostname, found.verificationToken ?? '', config);
      const row = await domains.markVerified(name, hostname);
      request.log.info({ project: name, hostname }, 'domain verified');
      await poke(announceRoutes, request.log, hostname);
      return domainView(row, config.PUBLIC_HTTPS_PORT);
    },
  );
}

function tlsAskRoute(app: ApiInstance, { domains, strangers }: DomainRoutesOptions): void {
  // Caddy's on-demand TLS "ask": 200 lets it get a certificate for `domain` (a verified name), anything else refuses.
  // Public (Caddy sends no token); it tells no more than a TLS handshake with that name would.
  app.get(
    '/api/tls/allowed',
    { config: open, schema: { querystring: askQuery, response: { 200: emptyBody, 404: emptyBody, '5xx': errorSchema } } },
    async (request, reply) => {
      await strangers?.count(request);
      const domain = request.query.domain?.toLowerCase();
      const allowed = domain !== undefined && domain.length <= 253 && (await domains.isVerified(domain));
      // An empty answer (the typed send wants the schema's null; an empty string sends nothing).
      return reply.status(allowed ? 200 : 404).send('' as never);
    },
  );
}
