/**
 * Caddy's access log, as request metrics need it (issue 30 item 2): every
 * request to an app host is written as one JSON line to router-sync's
 * receiver (Caddy's `net` log writer), after its response, off the proxy
 * path. A filter encoder deletes everything but the method, host, status,
 * size and duration: no headers, paths, query strings or client addresses
 * leave Caddy. The API's own host is not logged.
 */
import type { Route } from './caddy-common.ts';

/** The logger name the app servers' access logs carry (`http.log.access.<name>`). */
const accessLogger = 'http.log.access.berth';

const dropped = ['request>headers', 'request>uri', 'request>remote_ip', 'request>remote_port', 'request>tls', 'resp_headers', 'user_id', 'common_log'];

/** The top-level `logging` section: access lines to `address` only, everything else to stderr as before. */
export function accessLogging(address: string): Record<string, unknown> {
  return {
    logs: {
      default: { exclude: [accessLogger] },
      'berth-access': {
        include: [accessLogger],
        // A receiver that is down costs a fast refused dial (then Caddy writes the line to stderr), not a wait.
        writer: { output: 'net', address, dial_timeout: '1s' },
        encoder: { format: 'filter', wrap: { format: 'json' }, fields: Object.fromEntries(dropped.map((f) => [f, { filter: 'delete' }])) },
      },
    },
  };
}

/** A server's `logs` section: log every request but the API's (its host is the base domain). */
export function serverAccessLogs(baseDomain: string): Route {
  return { default_logger_name: 'berth', skip_hosts: [baseDomain] };
}
