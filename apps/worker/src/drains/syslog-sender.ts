import net from 'node:net';
import tls from 'node:tls';
import type { ResolvedDrainTarget } from '@berth/shared/log-drain-target';

/**
 * Sends one batch over a connection of its own to the pinned address: writes
 * it, closes its side, and counts it delivered once the receiver closes its
 * side too. A receiver that read the stream to its end before closing took
 * every message; one that stopped (killed, restarted) with unread bytes resets
 * the connection, and the batch fails (then it is sent again: at least once).
 * A receiver that keeps its side open after the whole batch was sent has it
 * counted delivered at the deadline.
 */
export function sendSyslogBatch(target: ResolvedDrainTarget, batch: Buffer, options: { timeoutMs: number; ca?: string[] | undefined }): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = target.tls
      ? tls.connect({
          host: target.address,
          port: target.port,
          ...(net.isIP(target.hostname) ? {} : { servername: target.hostname }),
          ...(options.ca ? { ca: options.ca } : {}),
        })
      : net.connect({ host: target.address, port: target.port });
    let sent = false;
    let settled = false;
    const settle = (err?: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      if (err) reject(err);
      else resolve();
    };
    const deadline = setTimeout(() => settle(sent ? undefined : new Error(`the syslog receiver did not take the batch within ${options.timeoutMs} ms`)), options.timeoutMs);
    socket.on('error', (err) => settle(err));
    socket.on('close', (hadError) => settle(hadError ? new Error('the syslog connection failed') : undefined));
    socket.on('data', () => {}); // a receiver may answer (it should not): read and ignore
    socket.end(batch, () => (sent = true));
  });
}
