import { chmodSync, lstatSync, mkdirSync, unlinkSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { Server } from 'node:http';

/**
 * Serves an HTTP server on a unix socket too, beside its TCP listener: each
 * accepted connection is handed to the same server, so routes, hooks and
 * auth are the ones the TCP listener runs. This is how a containerised Caddy
 * reaches the API without the API listening on any network: only who can
 * enter the socket's directory (0700, shared with Caddy alone) can connect.
 */
export async function listenOnUnixSocket(server: Server, socketPath: string): Promise<() => Promise<void>> {
  const dir = path.dirname(socketPath);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Who owns the directory decides who may connect: it must be ours, not a link to somewhere else.
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
    throw new Error(`API_SOCKET_PATH's directory ${dir} must be a directory owned by this user (not a symlink)`);
  }
  if ((stat.mode & 0o077) !== 0) chmodSync(dir, 0o700);
  removeStaleSocket(socketPath);
  const listener = net.createServer((socket) => server.emit('connection', socket));
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(socketPath, () => {
      listener.off('error', reject);
      resolve();
    });
  });
  chmodSync(socketPath, 0o600);
  return async () => {
    // Stops accepting and removes the file. The connections it accepted belong to `server`
    // now: closing the app ends them (waiting for them here would wait for that).
    listener.close();
    try {
      unlinkSync(socketPath);
    } catch {
      /* already gone */
    }
  };
}

/** A socket left by a process that died is replaced; any other file at that path is refused. */
function removeStaleSocket(socketPath: string): void {
  let stat;
  try {
    stat = lstatSync(socketPath);
  } catch {
    return;
  }
  if (!stat.isSocket()) throw new Error(`API_SOCKET_PATH ${socketPath} exists and is not a socket; refusing to replace it`);
  unlinkSync(socketPath);
}
