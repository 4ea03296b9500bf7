/**
 * A URL (or any text) with secrets replaced: values of `token`-like query
 * parameters and the user:password part of URLs.
 */
export function redactUrl(url: string): string {
  return url
    .replace(/([?&](?:token|access_token|api_key|apikey|password|secret)=)[^&#\s]*/gi, '$1[redacted]')
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1[redacted]@');
}
