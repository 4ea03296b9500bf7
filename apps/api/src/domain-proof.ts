/**
 * Proof that a project controls a custom domain's DNS before Berth routes the
 * name or lets Caddy get a certificate for it: a TXT record
 * `_berth-challenge.<hostname>` holding the domain's token.
 */
import { Resolver } from 'node:dns/promises';
import { env, z } from '@berth/shared/config';
import { BerthError } from '@berth/shared/errors';

/** The name the TXT record is looked up at. */
export const challengeName = (hostname: string) => `_berth-challenge.${hostname}`;

function serverList(text: string | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** Whether c-ares takes these addresses (`1.1.1.1`, `127.0.0.1:5353`, `[::1]:53`). */
function validServers(text: string | undefined): boolean {
  try {
    new Resolver().setServers(serverList(text));
    return true;
  } catch {
    return false;
  }
}

/** The API's settings for the proof (spread into apiEnv). */
export const domainProofEnv = {
  DOMAIN_VERIFICATION: z
    .enum(['dns', 'off'])
    .default('dns')
    .describe(
      "dns: a custom domain is pending (not routed, no certificate) until its project proves the name with a TXT record `_berth-challenge.<hostname>` (POST …/domains/:hostname/verify); off: names are verified when added (only where the operator alone adds domains: docs/security.md)",
    ),
  DOMAIN_VERIFY_DNS_SERVERS: z
    .string()
    .optional()
    .refine(validServers, 'expected DNS server addresses separated by commas (1.1.1.1, 127.0.0.1:5353, [::1]:53)')
    .describe("DNS servers the ownership check asks (comma-separated; ip or ip:port); unset, the system's resolvers"),
  DOMAIN_VERIFY_TIMEOUT_MS: env.milliseconds(5000).describe('How long the ownership check waits for DNS before answering 409 DOMAIN_DNS_FAILED'),
};

export interface DomainProofSettings {
  DOMAIN_VERIFY_DNS_SERVERS?: string | undefined;
  DOMAIN_VERIFY_TIMEOUT_MS: number;
}

/** DNS errors that mean the name has no such record (not a failure to ask). */
const noRecord = new Set(['ENOTFOUND', 'ENODATA']);

/**
 * Looks up `_berth-challenge.<hostname>` and resolves when one of its TXT
 * values (its strings joined, as DNS splits long ones) is `token`. Throws
 * DOMAIN_RECORD_MISSING, DOMAIN_RECORD_MISMATCH or DOMAIN_DNS_FAILED.
 */
export async function checkDomainProof(hostname: string, token: string, settings: DomainProofSettings): Promise<void> {
  const name = challengeName(hostname);
  const resolver = new Resolver({ timeout: settings.DOMAIN_VERIFY_TIMEOUT_MS, tries: 1 });
  const servers = serverList(settings.DOMAIN_VERIFY_DNS_SERVERS);
  if (servers.length > 0) resolver.setServers(servers);
  let records: string[][];
  try {
    records = await resolver.resolveTxt(name);
  } catch (err) {
    const code = (err as { code?: string }).code ?? 'unknown';
    if (noRecord.has(code)) {
      throw new BerthError('DOMAIN_RECORD_MISSING', `DNS has no TXT record ${name}: create it with the value ${token}, then verify again`);
    }
    const why = code === 'ETIMEOUT' ? `did not answer within ${settings.DOMAIN_VERIFY_TIMEOUT_MS} ms` : `failed (${code})`;
    throw new BerthError('DOMAIN_DNS_FAILED', `looking up the TXT record ${name} ${why}; try again later`, { cause: err });
  } finally {
    resolver.cancel();
  }
  const values = records.map((chunks) => chunks.join(''));
  if (!values.includes(token)) {
    throw new BerthError(
      'DOMAIN_RECORD_MISMATCH',
      `the TXT record ${name} holds ${values.length} value(s), none of them this domain's token ${token}`,
    );
  }
}
