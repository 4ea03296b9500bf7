import { BerthError } from './errors.ts';

const allowedSchemes = new Set(['https:', 'http:', 'git:']);

/**
 * Only http(s) and git URLs with a host: no `file://`, no `ext::` remote
 * helpers, nothing git could read as an option. Checked by the API on input
 * and again by the worker before cloning.
 */
export function assertSafeGitUrl(raw: string): void {
  const invalid = (why: string) => new BerthError('INVALID_GIT_URL', `gitUrl ${why}`);
  if (raw.length > 2048) throw invalid('is too long');
  if (raw.startsWith('-')) throw invalid('must not start with "-"');
  if (raw.includes('::')) throw invalid('must not name a git remote helper ("::")');
  if (/[\s\0]/.test(raw)) throw invalid('must not contain whitespace');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalid('is not a URL; use https://, http:// or git://');
  }
  if (!allowedSchemes.has(url.protocol)) {
    throw invalid(`uses ${url.protocol.replace(/:$/, '')}://; only https://, http:// and git:// are allowed`);
  }
  if (!url.hostname) throw invalid('has no host');
  // Credentials in a URL end up stored, shown back by the API and printed by
  // git in its errors: refuse them rather than promise to hide them everywhere.
  if (url.username || url.password || /^[a-z]+:\/\/[^/]*@/i.test(raw)) {
    throw invalid('must not contain credentials (user:password@ or token@); Berth clones public repositories');
  }
}

/** A branch, tag or commit id; never something git could take as an option. */
export function assertSafeGitRef(ref: string): void {
  if (
    ref.length > 200 ||
    ref.startsWith('-') ||
    ref.includes('..') ||
    ref.endsWith('.lock') ||
    !/^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(ref)
  ) {
    throw new BerthError('VALIDATION_FAILED', `ref "${ref}" is not a valid branch, tag or commit id`);
  }
}
