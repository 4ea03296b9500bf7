import WebSocket from 'ws';
import { expect } from 'vitest';
import { parseServerMessage, terminalPath, terminalProtocol, type TerminalServerMessage } from '@berth/client/terminal-protocol';
import type { Stack } from '@berth/testing/stack';

// What the terminal tests share: a real WebSocket to the stack's API, its refusals and its sessions.

/** A session's transcript: the output so far, the final control message, the close code. */
export interface TerminalSession {
  socket: WebSocket;
  output(): string;
  /** Resolves with the final message (exit or closed) and the close code once the server closes. */
  ended: Promise<{ final: TerminalServerMessage | undefined; closeCode: number }>;
}

export interface OpenOptions {
  command?: string[];
  replica?: number;
  headers?: Record<string, string>;
  protocols?: string[];
}

/** Opens a terminal; resolves with the session, or with the HTTP answer that refused the upgrade. */
export function openTerminal(stack: Stack, id: string, options: OpenOptions = {}): Promise<TerminalSession | { status: number; body: any }> {
  const url = `${stack.apiUrl.replace(/^http/, 'ws')}${terminalPath(id, options.command ?? [], options.replica)}`;
  const socket = new WebSocket(url, options.protocols ?? [terminalProtocol], { headers: options.headers ?? {} });
  let output = '';
  let final: TerminalServerMessage | undefined;
  const ended = new Promise<{ final: TerminalServerMessage | undefined; closeCode: number }>((resolve) => {
    socket.on('message', (data, isBinary) => {
      if (isBinary) output += (data as Buffer).toString('utf8');
      else final = parseServerMessage((data as Buffer).toString('utf8'));
    });
    socket.on('close', (code) => resolve({ final, closeCode: code }));
  });
  return new Promise((resolve, reject) => {
    socket.on('open', () => resolve({ socket, output: () => output, ended }));
    socket.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body ? JSON.parse(body) : undefined }));
    });
    socket.on('error', (err) => reject(err));
  });
}

/** Expects the upgrade refused with this status and code. */
export async function expectRefused(opened: Promise<TerminalSession | { status: number; body: any }>, status: number, code: string): Promise<void> {
  const answer = await opened;
  expect('status' in answer, 'the upgrade was accepted').toBe(true);
  const refused = answer as { status: number; body: any };
  expect(refused.status, JSON.stringify(refused.body)).toBe(status);
  expect(refused.body).toEqual({ error: { code, message: expect.any(String) } });
}

export async function expectSession(opened: Promise<TerminalSession | { status: number; body: any }>): Promise<TerminalSession> {
  const answer = await opened;
  if ('status' in answer) throw new Error(`the upgrade was refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer;
}

/** A person with a role in a project (or an admin of another), signed in: the cookie and CSRF token of a browser. */
export async function personIn(stack: Stack, project: string, role: 'viewer' | 'deployer' | 'admin'): Promise<{ cookie: string; csrf: string }> {
  const email = `t-${Math.random().toString(36).slice(2, 10)}@example.com`;
  const invited = await stack.inject({ method: 'POST', url: '/api/users', payload: { email, role: 'member' } });
  expect(invited.statusCode, invited.body).toBe(201);
  const { user, link } = invited.json();
  const password = 'correct horse battery';
  expect((await stack.api.inject({ method: 'POST', url: '/api/auth/setup', payload: { token: link.token, password } })).statusCode).toBe(200);
  const added = await stack.inject({ method: 'POST', url: `/api/projects/${project}/members`, payload: { userId: user.id, role } });
  expect(added.statusCode, added.body).toBe(201);
  const login = await stack.api.inject({ method: 'POST', url: '/api/auth/login', payload: { email, password } });
  expect(login.statusCode, login.body).toBe(200);
  return { cookie: /berth_session=([^;]+)/.exec(String(login.headers['set-cookie']))![1]!, csrf: login.json().csrfToken };
}
