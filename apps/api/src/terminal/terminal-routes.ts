import type { FastifyInstance, FastifyRequest } from 'fastify';
import websocket from '@fastify/websocket';
import Docker from 'dockerode';
import type { WebSocket } from 'ws';
import { csrfMatches } from '@berth/shared/accounts/session-store';
import type { AuditLog } from '@berth/shared/accounts/audit-log';
import type { DeploymentStore } from '@berth/shared/deployment-store';
import { isLive } from '@berth/shared/deployment-state';
import { BerthError } from '@berth/shared/errors';
import { csrfProtocolPrefix, terminalProtocol } from '@berth/client/terminal-protocol';
import { presentedCredential } from '../access/credentials.ts';
import { sameHost } from '../access/csrf.ts';
import type { ApiConfig } from '../config.ts';
import { auditEntry } from '../people/audit.ts';
import type { ApiPlugin } from '../routes/api-plugin.ts';
import { idParams, loadDeployment } from '../routes/deployment-params.ts';
import { errorResponses } from '../routes/error-schema.ts';
import { ExecBridge, type SessionEnd } from './exec-bridge.ts';
import { terminalTarget, type TerminalTarget } from './terminal-target.ts';
import type { SessionOpener, TerminalSessions } from './terminal-sessions.ts';

export interface TerminalRouteOptions {
  store: Pick<DeploymentStore, 'get'>;
  /** Where the terminals exec (default: the local Docker, DOCKER_HOST). */
  docker?: Docker;
  audit: Pick<AuditLog, 'append'>;
  config: Pick<ApiConfig, 'BERTH_INSTANCE' | 'BERTH_RUNTIME' | 'TERMINAL_IDLE_MS' | 'MAX_TERMINAL_SESSIONS_PER_USER'>;
  /** This process's open sessions (app.ts makes it: revocations end theirs). */
  sessions: TerminalSessions;
}

const argument = { type: 'string', minLength: 1, maxLength: 4096 } as const;
const execQuery = {
  type: 'object',
  properties: {
    cmd: {
      anyOf: [argument, { type: 'array', items: argument, maxItems: 64 }],
      description: 'the command as an argv, one `cmd` per argument (default `sh`); never run through a shell',
    },
    replica: { type: 'integer', minimum: 1, description: "which replica (from 1; docker mode runs one; swarm mode: a task on the API's own node, by its slot)" },
  },
  additionalProperties: false,
} as const;

/** What the checks before the upgrade found, for the session. */
interface Prepared extends TerminalTarget {
  command: string[];
  opener: SessionOpener;
  project: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    terminal?: Prepared;
  }
}

/**
 * `GET /api/deployments/:id/exec` (a WebSocket): a terminal in a running
 * deployment's container, for `deployment.exec` (deployers and up; never a
 * deploy key). Everything is refused before the upgrade, as an ordinary
 * `{error}` answer: the access hook's 401/404/403, then a page of another
 * site (403), a deployment or container that is not running (409
 * DEPLOYMENT_NOT_LIVE), a swarm replica on another node (409
 * TERMINAL_ON_OTHER_NODE), the session cap
 * (429 TOO_MANY_TERMINALS), and a request that is not a WebSocket (400).
 */
export const terminalRoutes: ApiPlugin<TerminalRouteOptions> = async (app, options) => {
  const { sessions } = options;
  const docker = options.docker ?? new Docker();
  await app.register(websocket, {
    options: { maxPayload: 64 * 1024, handleProtocols: (protocols) => (protocols.has(terminalProtocol) ? terminalProtocol : false) },
    // Sessions are told why they end; then the plugin's own close (every client, the server).
    preClose(done) {
      sessions.endAll();
      for (const client of this.websocketServer.clients) client.terminate();
      this.websocketServer.close(() => done());
    },
  });
  app.route({
    method: 'GET',
    url: '/api/deployments/:id/exec',
    config: { action: 'deployment.exec', project: 'deployment', protocolToken: true, auditedRead: true },
    schema: { params: idParams, querystring: execQuery, response: { ...errorResponses } },
    preHandler: async (request) => {
      request.terminal = await prepare(request, { ...options, docker }, sessions);
    },
    handler: async () => {
      throw new BerthError('VALIDATION_FAILED', `this route opens a WebSocket (subprotocol ${terminalProtocol}); send an upgrade request`);
    },
    wsHandler: (socket, request) => openSession(socket, request, options, sessions),
  });
};

async function prepare(request: FastifyRequest, options: TerminalRouteOptions & { docker: Docker }, sessions: TerminalSessions): Promise<Prepared> {
  assertOwnPage(request);
  const { config } = options;
  const { id } = request.params as { id: string };
  const { cmd, replica } = request.query as { cmd?: string | string[]; replica?: number };
  const row = await loadDeployment(options.store, id);
  if (!isLive(row.status)) throw new BerthError('DEPLOYMENT_NOT_LIVE', `deployment ${id} is ${row.status}: there is no running container to open a terminal in`);
  const target = await terminalTarget(options.docker, config, id, replica);
  const owner = request.person ? `person:${request.person.id}` : `credential:${request.credentialKey}`;
  sessions.assertRoom(owner);
  const opener = { owner, credentialKey: request.credentialKey!, personId: request.person?.id };
  return { ...target, command: cmd === undefined ? ['sh'] : [cmd].flat(), opener, project: row.project };
}

/**
 * A browser's page must be Berth's own. A WebSocket upgrade is a GET (no CSRF
 * check) and browsers send cookies with it from any site, so: a named Origin
 * must be this host's, and a request signed in by the session cookie must
 * name its Origin and prove its page with the session's CSRF token as a
 * subprotocol (another site can neither read nor guess it).
 */
function assertOwnPage(request: FastifyRequest): void {
  const origin = request.headers.origin;
  if (origin !== undefined && !sameHost(origin, request.headers.host)) {
    throw new BerthError('FORBIDDEN', `a terminal opened from another site (Origin ${origin}) is refused`);
  }
  const credential = presentedCredential(request);
  // A plain GET opens nothing (400 below): only an upgrade must prove its page.
  if (credential.kind !== 'session' || !request.ws) return;
  const offered = String(request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const token = offered.find((p) => p.startsWith(csrfProtocolPrefix))?.slice(csrfProtocolPrefix.length);
  if (origin === undefined || !csrfMatches(credential.secret, token)) {
    throw new BerthError('FORBIDDEN', `a signed-in terminal needs its page's Origin and the session's CSRF token as the subprotocol ${csrfProtocolPrefix}<token>`);
  }
}

function openSession(socket: WebSocket, request: FastifyRequest, options: TerminalRouteOptions, sessions: TerminalSessions): void {
  const prepared = request.terminal!;
  const { id } = request.params as { id: string };
  const started = Date.now();
  const audited = (action: string, detail: Record<string, unknown>) =>
    options.audit.append(auditEntry(request, { action, targetKind: 'deployment', targetId: id, project: prepared.project, detail }));
  let release = () => {};
  const bridge = new ExecBridge(socket, {
    container: prepared.container,
    command: prepared.command,
    idleMs: options.config.TERMINAL_IDLE_MS,
    onEnd: (end: SessionEnd) => {
      release();
      const detail = { exitCode: end.exitCode, reason: end.reason, durationMs: Date.now() - started };
      audited('deployment.exec.end', detail).catch((err: unknown) => request.log.error({ err, deploymentId: id }, 'could not write the terminal end audit row'));
    },
  });
  try {
    release = sessions.add(prepared.opener, bridge);
  } catch (err) {
    return bridge.fail(err);
  }
  // The start is recorded before the command runs: no session goes unaudited.
  audited('deployment.exec', { command: prepared.command, replica: prepared.replica })
    .then(() => bridge.start())
    .catch((err: unknown) => bridge.fail(err));
}

/**
 * An upgrade request answered as plain HTTP (refused here, or sent to any other path: the WebSocket
 * plugin's upgrade listener is the whole server's) leaves a socket Node's HTTP server no longer
 * times out nor closes: it is closed once the answer is sent, or a client that never closes it
 * would hold a descriptor for good and the API's shutdown with it. A WebSocket that opened is hijacked: no hook.
 */
export function closeAnsweredUpgrades(app: FastifyInstance): void {
  app.addHook('onResponse', async (request) => {
    if (String(request.headers.upgrade).toLowerCase() === 'websocket') request.raw.socket.destroy();
  });
}
