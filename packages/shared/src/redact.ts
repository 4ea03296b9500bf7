// `cmd`: a terminal's argv (GET /api/deployments/:id/exec), which may carry a password.
const secretKeys = new Set(['token', 'access_token', 'api_key', 'apikey', 'password', 'secret', 'cmd']);

function decodedKey(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' ')).trim().toLowerCase();
  } catch {
    return raw.toLowerCase();
  }
}

/**
 * A URL (or any text) with secrets replaced: values of `token`-like query
 * parameters, judged by the key as the server decodes it (`%74oken` is
 * `token` to the query parser), and the user:password part of URLs.
 */
export function redactUrl(url: string): string {
  const withoutCredentials = url.replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1[redacted]@');
  return withoutCredentials.replace(/([?&;])([^=&#\s]*)=([^&#\s]*)/g, (whole, sep: string, key: string) =>
    secretKeys.has(decodedKey(key)) ? `${sep}${key}=[redacted]` : whole,
  );
}
