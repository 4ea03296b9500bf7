import { ApiClient } from '@berth/client/api-client';

/** The API token lives in this tab's session storage only: never in a URL, gone when the tab closes. */
const key = 'berth.token';

export function storedToken(): string | undefined {
  return sessionStorage.getItem(key) ?? undefined;
}

export function signIn(token: string): void {
  sessionStorage.setItem(key, token);
}

export function signOut(): void {
  sessionStorage.removeItem(key);
}

/** A client for the page's own origin (the API serves the dashboard). */
export function clientFor(token: string): ApiClient {
  return new ApiClient({ baseUrl: '', token });
}
