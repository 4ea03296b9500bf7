import { EventEmitter } from 'node:events';
import { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import type { WebSocket } from 'ws';
import { describe, expect, it, vi } from 'vitest';
import { ExecBridge, type SessionEnd } from '../../src/terminal/exec-bridge.ts';

// ExecBridge's flow control around fakes of its two ends: the client's WebSocket and docker exec's stream.

/** A WebSocket whose queue (bufferedAmount) the test sets, and whose sends complete when the test says. */
class FakeSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  bufferedAmount = 0;
  isPaused = false;
  sent: Buffer[] = [];
  private callbacks: (() => void)[] = [];
  send(data: Buffer | string, _options?: unknown, cb?: () => void): void {
    if (Buffer.isBuffer(data)) this.sent.push(data);
    if (cb) this.callbacks.push(cb);
  }
  /** The client read everything queued. */
  flushed(): void {
    this.bufferedAmount = 0;
    for (const cb of this.callbacks.splice(0)) cb();
  }
  pause(): void {
    this.isPaused = true;
  }
  resume(): void {
    this.isPaused = false;
  }
  close(): void {
    this.readyState = 3;
  }
}

/** The exec's stream: what the bridge writes (stdin) is kept; `full` makes writes report a full TTY. */
class FakeExecStream extends Duplex {
  written: Buffer[] = [];
  full = false;
  override _read(): void {}
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.written.push(chunk);
    done();
  }
  override write(chunk: Buffer): boolean {
    super.write(chunk);
    return !this.full;
  }
}

async function bridge(idleMs = 60_000) {
  const socket = new FakeSocket();
  const stream = new FakeExecStream();
  const resize = vi.fn(async () => {});
  const exec = { start: async () => stream, resize, inspect: async () => ({ ExitCode: 0 }) };
  const container = { exec: async () => exec } as unknown as Docker.Container;
  const ends: SessionEnd[] = [];
  const b = new ExecBridge(socket as unknown as WebSocket, { container, command: ['sh'], idleMs, onEnd: (end) => ends.push(end) });
  await b.start();
  return { b, socket, stream, resize, ends };
}

describe('ExecBridge', () => {
  it("pauses the command's output while more than 1 MiB waits for a client that does not read, and resumes once it read", async () => {
    const { socket, stream, b } = await bridge();
    socket.bufferedAmount = 2 * 1024 * 1024;
    stream.push(Buffer.from('x'));
    await new Promise((r) => setImmediate(r));
    expect(stream.isPaused()).toBe(true);
    socket.flushed();
    expect(stream.isPaused()).toBe(false);
    b.end('shutdown');
  });

  it("stops reading the client while the command's TTY is full, and reads again on its drain", async () => {
    const { socket, stream, b } = await bridge();
    stream.full = true;
    socket.emit('message', Buffer.from('a lot'), true);
    expect(socket.isPaused).toBe(true);
    stream.full = false;
    stream.emit('drain');
    expect(socket.isPaused).toBe(false);
    expect(Buffer.concat(stream.written).toString()).toBe('a lot');
    b.end('shutdown');
  });

  it('applies a flood of resize messages as a few calls to Docker, the latest size last', async () => {
    const { socket, resize, b } = await bridge();
    for (let i = 1; i <= 500; i++) socket.emit('message', Buffer.from(JSON.stringify({ type: 'resize', cols: i, rows: 10 })), false);
    await new Promise((r) => setTimeout(r, 250));
    expect(resize.mock.calls.length).toBeLessThanOrEqual(4);
    expect(resize.mock.calls.at(-1)).toEqual([{ w: 500, h: 10 }]);
    b.end('shutdown');
  });

  it('ends a session with output but no input after idleMs (output does not keep it open)', async () => {
    const { stream, ends } = await bridge(150);
    const chatter = setInterval(() => stream.push(Buffer.from('tick\n')), 20);
    await new Promise((r) => setTimeout(r, 400));
    clearInterval(chatter);
    expect(ends).toEqual([{ exitCode: null, reason: 'idle', message: expect.any(String) }]);
  });
});
