import { ApiClient } from '@berth/client/api-client';
import { whoAmI } from './people-api.ts';

/**
 * How this tab is signed in: a person's session (the httpOnly `berth_session` cookie, which no script
 * reads, and its CSRF token, held in memory only), or an operator's API token.
 */
export type Session = { kind: 'cookie'; csrfToken: string; email: string; userId: string } | { kind: 'token'; token: string };

/** The API token lives in this tab's session storage only: never in a URL, gone when the tab closes. */
const key = 'berth.token';

/** The header a cookie session sends its CSRF token in (apps/api/src/access/csrf.ts). */
const csrfHeader = 'x-berth-csrf';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

export function storedToken(): string | undefined {
  return sessionStorage.getItem(key) ?? undefined;
}

export function keepToken(token: string): void {
  sessionStorage.setItem(key, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(key);
}

/** A key that changes with every sign-in (a fresh query cache per session). */
export function sessionKey(session: Session): string {
  return session.kind === 'token' ? `token:${session.token}` : `cookie:${session.csrfToken}`;
}

/**
 * A client for the page's own origin (the API serves the dashboard). A token goes in the Authorization
 * header. A cookie session's browser sends the cookie by itself; every request that changes something
 * carries the session's CSRF token, and a 401 means the session ended (expired, signed out elsewhere):
 * `onEnded` takes the tab back to the sign-in page.
 */
export function clientFor(session: Session | undefined, onEnded?: () => void): ApiClient {
  if (session?.kind !== 'cookie') return new ApiClient({ baseUrl: '', token: session?.token });
  const withCsrf: typeof fetch = async (input, init = {}) => {
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = safeMethods.has(method) ? init.headers : { ...(init.headers as Record<string, string>), [csrfHeader]: session.csrfToken };
    const res = await fetch(input, { ...init, headers, credentials: 'same-origin' });
    if (res.status === 401) onEnded?.();
    return res;
  };
  return new ApiClient({ baseUrl: '', token: undefined, fetch: withCsrf });
}

/** On load: the session this browser's cookie still holds, if any (GET /api/auth/me hands out its CSRF token again). */
export async function resumeSession(): Promise<Session | undefined> {
  try {
    const me = await whoAmI(clientFor(undefined));
    return me.user && me.csrfToken ? { kind: 'cookie', csrfToken: me.csrfToken, email: me.user.email, userId: me.user.id } : undefined;
  } catch {
    return undefined;
  }
}
