import { baseUrl, type Urls } from '../deployment-view.ts';

/**
 * The dashboard page where a one-time link's holder sets their password. The
 * secret rides in the URL's fragment (`#…`), which browsers never send to a
 * server or put in a Referer: only the page's script reads it and posts it to
 * POST /api/auth/setup.
 */
export function setupLinkUrl(urls: Urls, token: string): string {
  return `${baseUrl(urls)}/#/setup/${token}`;
}

export function linkAnswer(urls: Urls, link: { token: string; expiresAt: Date }) {
  return { url: setupLinkUrl(urls, link.token), token: link.token, expiresAt: link.expiresAt.toISOString() };
}
