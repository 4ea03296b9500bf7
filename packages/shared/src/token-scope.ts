/**
 * What an API token may do. Scopes are ordered: each includes the ones below
 * it, so "may this token do X" is one comparison and a token can never be
 * given more than its holder has.
 */
export const tokenScopes = ['read', 'deploy', 'admin'] as const;
export type TokenScope = (typeof tokenScopes)[number];

export function isTokenScope(value: unknown): value is TokenScope {
  return typeof value === 'string' && (tokenScopes as readonly string[]).includes(value);
}

/** True when a token of scope `held` may do what needs `needed`. */
export function scopeAllows(held: TokenScope, needed: TokenScope): boolean {
  return tokenScopes.indexOf(held) >= tokenScopes.indexOf(needed);
}
