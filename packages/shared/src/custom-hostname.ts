import { isIP } from 'node:net';
import { BerthError } from './errors.ts';

/** RFC 1035: a name is at most 253 characters written out, a label at most 63. */
const maxHostnameLength = 253;
const label = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/**
 * Checks a hostname a user wants to route to a project: a lowercase DNS name
 * with at least one dot, not an IP address, and not the base domain or a
 * name under it (those are Berth's own: the API, `<id>.` and `<project>.`).
 * Throws VALIDATION_FAILED saying which rule it broke; returns it unchanged.
 */
export function checkCustomHostname(hostname: string, baseDomain: string): string {
  const invalid = (why: string) => new BerthError('VALIDATION_FAILED', `hostname "${hostname.slice(0, 300)}" ${why}`);
  if (hostname.length > maxHostnameLength) throw invalid(`is longer than ${maxHostnameLength} characters`);
  if (isIP(hostname.replace(/^\[|\]$/g, '')) !== 0) throw invalid('is an IP address; a custom domain must be a DNS name');
  if (hostname !== hostname.toLowerCase()) throw invalid('must be lowercase');
  const labels = hostname.split('.');
  if (labels.length < 2) throw invalid('must have at least one dot (e.g. app.example.com)');
  for (const l of labels) {
    if (!label.test(l)) {
      throw invalid('is not a DNS name: each dot-separated label is 1-63 of a-z, 0-9 and inner dashes');
    }
  }
  // An all-digit last label is no top-level domain, and is how IPv4 spellings like 10.1 or 127.0.0.01 look.
  if (/^\d+$/.test(labels.at(-1)!)) throw invalid('ends in a numeric label; a custom domain must be a DNS name');
  if (hostname === baseDomain || hostname.endsWith(`.${baseDomain}`)) {
    throw invalid(`is Berth's own base domain ${baseDomain} or under it`);
  }
  return hostname;
}
