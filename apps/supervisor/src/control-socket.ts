import fs from 'node:fs';
import net from 'node:net';
import { z } from '@berth/shared/config';

/** What `npm run scale` and `npm run restart` ask a running supervisor. */
const requestSchema = z.discriminatedUnion('cmd', [
  z.object({ cmd: z.literal('scale'), workers: z.number().int().min(0).max(64) }),
  /** A group (api, worker, router-sync, caddy), one process (worker-2) or `all`: one at a time. */
  z.object({ cmd: z.literal('restart'), target: z.string().min(1) }),
]);
export type ControlRequest = z.infer<typeof requestSchema>;
export type ControlResponse = { ok: true; message: string } | { ok: false; error: string };

/**
 * The supervisor's control socket (a unix socket in the state directory,
 * private to its owner like the rest of it): one JSON request per
 * connection, answered once it has been carried out.
 */
export function serveControl(socketPath: string, handle: (request: ControlRequest) => Promise<string>): net.Server {
  fs.rmSync(socketPath, { force: true });
  const server = net.createServer((socket) => {
    let data = '';
    socket.setEncoding('utf8');
    socket.on('error', () => socket.destroy());
    socket.on('data', (chunk: string) => {
      data += chunk;
      const end = data.indexOf('\n');
      if (end === -1) return;
      socket.pause();
      let request: ControlRequest;
      try {
        request = requestSchema.parse(JSON.parse(data.slice(0, end)));
      } catch (err) {
        socket.end(`${JSON.stringify({ ok: false, error: `bad request: ${String(err)}` })}\n`);
        return;
      }
      handle(request).then(
        (message) => socket.end(`${JSON.stringify({ ok: true, message })}\n`),
        (err: unknown) => socket.end(`${JSON.stringify({ ok: false, error: err instanceof Error ? err.message : String(err) })}\n`),
      );
    });
  });
  server.listen(socketPath);
  return server;
}

/** Sends one request and waits for its answer (a scale-down waits for workers to hand back their jobs). */
export function sendControl(socketPath: string, request: ControlRequest): Promise<ControlResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(socketPath);
    let data = '';
    socket.setEncoding('utf8');
    socket.on('connect', () => socket.write(`${JSON.stringify(request)}\n`));
    socket.on('data', (chunk: string) => (data += chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      try {
        resolve(JSON.parse(data) as ControlResponse);
      } catch {
        reject(new Error('the supervisor closed the connection without an answer'));
      }
    });
  });
}
