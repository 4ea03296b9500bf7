/**
 * The terminal's wire protocol (`GET /api/deployments/:id/exec`, a WebSocket;
 * docs/api.md#terminal): one home for the API, the CLI and the dashboard.
 *
 * - Binary frames carry bytes: the client's are the process's stdin, the
 *   server's are its output (a TTY: stdout and stderr are one stream).
 * - Text frames carry JSON control messages: the client's `resize`, the
 *   server's final `exit` (then it closes, 1000) or `closed` (idle, shutdown, revoked,
 *   a failure: then it closes too).
 */

/** The subprotocol every client names; the server answers with it. */
export const terminalProtocol = 'berth.terminal.v1';
/**
 * A browser cannot set headers on a WebSocket: an operator's API token in the dashboard goes as the
 * subprotocol `berth.bearer.<token>` (a header, never logged; never the URL). Scripts send `Authorization`.
 */
export const bearerProtocolPrefix = 'berth.bearer.';
/** A browser signed in with the session cookie proves it is Berth's own page with its CSRF token: `berth.csrf.<token>`. */
export const csrfProtocolPrefix = 'berth.csrf.';

export type TerminalClientMessage = { type: 'resize'; cols: number; rows: number };

export type TerminalServerMessage =
  /** The command ended with this code (null when Docker could not tell). */
  | { type: 'exit'; code: number | null }
  /** The session ended without the command's exit: idle past TERMINAL_IDLE_MS, the API shutting down, or an error. */
  | { type: 'closed'; reason: 'idle' | 'shutdown' | 'revoked' | 'error'; message: string };

const maxSize = 1000;

/** A client's control message, or undefined when it is not one (ignored: a terminal never dies of a bad frame). */
export function parseClientMessage(text: string): TerminalClientMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const message = value as { type?: unknown; cols?: unknown; rows?: unknown };
  if (message?.type !== 'resize') return undefined;
  const { cols, rows } = message;
  const fits = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 1 && (n as number) <= maxSize;
  return fits(cols) && fits(rows) ? { type: 'resize', cols, rows } : undefined;
}

/** A server's control message, or undefined when the text is not one. */
export function parseServerMessage(text: string): TerminalServerMessage | undefined {
  try {
    const value = JSON.parse(text) as { type?: unknown };
    return value?.type === 'exit' || value?.type === 'closed' ? (value as TerminalServerMessage) : undefined;
  } catch {
    return undefined;
  }
}

/** The path and query of a session: `cmd` repeated per argument (an argv, never a shell string), `replica` from 1. */
export function terminalPath(deploymentId: string, command: readonly string[], replica?: number): string {
  const query = new URLSearchParams();
  for (const arg of command) query.append('cmd', arg);
  if (replica !== undefined) query.set('replica', String(replica));
  const text = query.toString();
  return `/api/deployments/${encodeURIComponent(deploymentId)}/exec${text ? `?${text}` : ''}`;
}
