import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type Docker from 'dockerode';
import type { WebSocket } from 'ws';
import { parseClientMessage, type TerminalServerMessage } from '@berth/client/terminal-protocol';

/** How a session ended: the command's exit code, or why it was cut (idle, shutdown, the client went, an error). */
export type SessionEnd = { exitCode: number | null; reason: 'exit' | 'idle' | 'shutdown' | 'revoked' | 'client' | 'error'; message?: string };

const endMessages = {
  idle: 'the terminal was idle too long (TERMINAL_IDLE_MS)',
  shutdown: 'the API is shutting down',
  revoked: 'the credential or the rights that opened this terminal changed: open it again',
} as const;

export interface BridgeOptions {
  container: Docker.Container;
  command: readonly string[];
  /** No input from the client for this long ends the session (TERMINAL_IDLE_MS); output does not keep it open. */
  idleMs: number;
  /** Called once, however the session ended. */
  onEnd(end: SessionEnd): void;
}

/** Output queued for a client that does not read beyond this pauses the command's output (the API's memory). */
const maxBufferedOutput = 1024 * 1024;
/** Input the command is not taking yet (or before it starts) beyond this stops reading the client. */
const maxPendingInput = 1024 * 1024;
/** At most one resize call to dockerd at a time, and this long between them (the latest size wins). */
const resizeSpacingMs = 100;

/**
 * One terminal session: `docker exec` with a TTY in the container, its
 * output to the WebSocket as binary frames, the client's binary frames to
 * its stdin, `resize` messages to the TTY. It ends once: on the command's
 * exit (`exit` with its code, close 1000), after idleMs with no input from
 * the client, on shutdown (`closed`, close 1001/4000), when the client goes,
 * or on an error. Ending closes the exec's stream: the TTY hangs up (SIGHUP).
 * Both directions are flow-controlled: a client that does not read pauses the
 * command's output, a command that does not read stops the client's input.
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
      this.socket.send(chunk, { binary: true }, () => this.outputSent());
      if (this.socket.bufferedAmount > maxBufferedOutput) stream.pause();
    });
    stream.on('end', () => void this.exited());
    stream.on('error', (err) => this.fail(err));
    // The size asked for before the command started reaches its TTY before anything typed does.
    if (this.wantedSize) void this.applyResizes();
    else this.flushInput();
  }

  /** Ends the session without the command's exit (the registry's shutdown, an idle timer). */
  end(reason: 'shutdown' | 'idle' | 'revoked'): void {
    const message = endMessages[reason];
    this.close({ type: 'closed', reason, message }, reason === 'shutdown' ? 1001 : 4000);
    this.finish({ exitCode: null, reason, message });
  }

  fail(err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    this.close({ type: 'closed', reason: 'error', message: `the terminal failed: ${message}` }, 1011);
    this.finish({ exitCode: null, reason: 'error', message });
  }

  private readonly pendingInput: Buffer[] = [];
  private pendingBytes = 0;
  private wantedSize: { cols: number; rows: number } | undefined;
  private resizing = false;
  /** Input waits while a resize is under way: a command reads what was typed after a resize at the new size. */
  private holdingInput = false;
  private awaitingDrain = false;

  private fromClient(data: Buffer, isBinary: boolean): void {
    if (this.ended) return;
    this.touch();
    if (isBinary) {
      if (this.stream && !this.holdingInput) return this.toCommand(data);
      this.pendingInput.push(data);
      this.pendingBytes += data.length;
      if (this.pendingBytes > maxPendingInput) this.socket.pause(); // resumed once the command started
      return;
    }
    const message = parseClientMessage(data.toString('utf8'));
    if (message?.type !== 'resize') return;
    this.wantedSize = { cols: message.cols, rows: message.rows };
    if (this.exec && this.stream && !this.resizing) void this.applyResizes();
  }

  /** Input that waited (for the command to start, for a resize), in the order it came. */
  private flushInput(): void {
    for (const pending of this.pendingInput.splice(0)) this.toCommand(pending);
    this.pendingBytes = 0;
    if (!this.awaitingDrain) this.socket.resume();
  }

  /** Input to the command; a full TTY stops reading the client until it drains. */
  private toCommand(data: Buffer): void {
    const stream = this.stream!;
    if (stream.write(data) || this.awaitingDrain) return;
    this.awaitingDrain = true;
    this.socket.pause();
    stream.once('drain', () => {
      this.awaitingDrain = false;
      this.socket.resume();
    });
  }

  /** The client read what was queued: the command's output flows again. */
  private outputSent(): void {
    if (this.stream?.isPaused() && this.socket.bufferedAmount <= maxBufferedOutput / 2) this.stream.resume();
  }

  /** The latest size asked for, one call at a time, spaced: a flood of resize messages is one call per spacing. */
  private async applyResizes(): Promise<void> {
    this.resizing = true;
    while (this.wantedSize && !this.ended) {
      const { cols, rows } = this.wantedSize;
      this.wantedSize = undefined;
      this.holdingInput = true;
      // A resize racing the command's exit is refused by Docker: nothing to do about it.
      await this.exec?.resize({ w: cols, h: rows }).catch(() => {});
      this.holdingInput = false;
      if (!this.ended) this.flushInput();
      await delay(resizeSpacingMs);
    }
    this.resizing = false;
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
