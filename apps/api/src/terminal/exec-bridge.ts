import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { WebSocket } from 'ws';
import { parseClientMessage, type TerminalServerMessage } from '@berth/client/terminal-protocol';

/** How a session ended: the command's exit code, or why it was cut (idle, shutdown, the client went, an error). */
export type SessionEnd = { exitCode: number | null; reason: 'exit' | 'idle' | 'shutdown' | 'client' | 'error'; message?: string };

export interface BridgeOptions {
  container: Docker.Container;
  command: readonly string[];
  /** No traffic either way for this long ends the session (TERMINAL_IDLE_MS). */
  idleMs: number;
  /** Called once, however the session ended. */
  onEnd(end: SessionEnd): void;
}

/**
 * One terminal session: `docker exec` with a TTY in the container, its
 * output to the WebSocket as binary frames, the client's binary frames to
 * its stdin, `resize` messages to the TTY. It ends once: on the command's
 * exit (`exit` with its code, close 1000), after idleMs with no traffic
 * either way, on shutdown (`closed`, close 1001/4000), when the client goes,
 * or on an error. Ending closes the exec's stream: the TTY hangs up (SIGHUP).
 */
export class ExecBridge {
  private stream: Duplex | undefined;
  private exec: Docker.Exec | undefined;
  private idleTimer: NodeJS.Timeout | undefined;
  private ended = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: BridgeOptions,
  ) {
    socket.on('message', (data, isBinary) => this.fromClient(data as Buffer, isBinary));
    socket.on('close', () => this.finish({ exitCode: null, reason: 'client' }));
    this.touch();
  }

  async start(): Promise<void> {
    const exec = await this.options.container.exec({
      Cmd: [...this.options.command],
      AttachStdin: true,
      AttachStdout: true,
      AttachStderr: true,
      Tty: true,
    });
    this.exec = exec;
    const stream = (await exec.start({ hijack: true, stdin: true, Tty: true })) as Duplex;
    this.stream = stream;
    if (this.ended) return void stream.destroy();
    stream.on('data', (chunk: Buffer) => {
      this.touch();
      this.socket.send(chunk, { binary: true });
    });
    stream.on('end', () => void this.exited());
    stream.on('error', (err) => this.fail(err));
    for (const pending of this.pendingInput.splice(0)) stream.write(pending);
    if (this.pendingSize) void this.resize(this.pendingSize.cols, this.pendingSize.rows);
  }

  /** Ends the session without the command's exit (the registry's shutdown, an idle timer). */
  end(reason: 'shutdown' | 'idle'): void {
    const message = reason === 'idle' ? 'the terminal was idle too long (TERMINAL_IDLE_MS)' : 'the API is shutting down';
    this.close({ type: 'closed', reason, message }, reason === 'idle' ? 4000 : 1001);
    this.finish({ exitCode: null, reason, message });
  }

  fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.close({ type: 'closed', reason: 'error', message: `the terminal failed: ${message}` }, 1011);
    this.finish({ exitCode: null, reason: 'error', message });
  }

  private readonly pendingInput: Buffer[] = [];
  private pendingSize: { cols: number; rows: number } | undefined;

  private fromClient(data: Buffer, isBinary: boolean): void {
    if (this.ended) return;
    this.touch();
    if (isBinary) {
      if (this.stream) this.stream.write(data);
      else this.pendingInput.push(data);
      return;
    }
    const message = parseClientMessage(data.toString('utf8'));
    if (message?.type !== 'resize') return;
    if (this.exec && this.stream) void this.resize(message.cols, message.rows);
    else this.pendingSize = { cols: message.cols, rows: message.rows };
  }

  private async resize(cols: number, rows: number): Promise<void> {
    // A resize racing the command's exit is refused by Docker: nothing to do about it.
    await this.exec?.resize({ w: cols, h: rows }).catch(() => {});
  }

  private async exited(): Promise<void> {
    if (this.ended) return;
    let exitCode: number | null = null;
    try {
      exitCode = (await this.exec!.inspect()).ExitCode ?? null;
    } catch {
      // The container went with the command: the code is unknown.
    }
    this.close({ type: 'exit', code: exitCode }, 1000);
    this.finish({ exitCode, reason: 'exit' });
  }

  private touch(): void {
    clearTimeout(this.idleTimer);
    if (!this.ended) this.idleTimer = setTimeout(() => this.end('idle'), this.options.idleMs);
  }

  private close(message: TerminalServerMessage, code: number): void {
    if (this.ended || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify(message));
    this.socket.close(code);
  }

  private finish(end: SessionEnd): void {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.idleTimer);
    this.stream?.destroy();
    if (this.socket.readyState === this.socket.OPEN) this.socket.close(1000);
    this.options.onEnd(end);
  }
}
