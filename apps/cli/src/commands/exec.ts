/** berth exec <deploymentId> [--replica n] [-- <command...>] */
import WebSocket from 'ws';
import { parseServerMessage, terminalPath, terminalProtocol, type TerminalServerMessage } from '@berth/client/terminal-protocol';
import { apiTarget, CliError } from '../berth-api.ts';
import { parseArgs } from '../args.ts';
import { note } from '../output.ts';

const usage = 'usage: berth exec <deploymentId> [--replica n] [-- <command...>]   (default: sh)';

/**
 * A terminal in a running deployment (docker exec with a TTY, through the
 * API's WebSocket): the command's output as it comes, this terminal's keys
 * (raw mode when stdin is a TTY) and size to it, and the command's exit code
 * as this process's. A session that ends otherwise (idle, the API stopping)
 * says why and exits 1. The command is an argv: no shell reads it unless it
 * is `sh -c …`.
 */
export async function exec(args: string[]): Promise<number> {
  const dashes = args.indexOf('--');
  const a = parseArgs(dashes === -1 ? args : args.slice(0, dashes), { values: ['replica'], usage });
  const command = dashes === -1 ? [] : args.slice(dashes + 1);
  if (a.positional.length !== 1) throw new CliError(usage);
  const replica = a.one('replica');
  if (replica !== undefined && !/^[1-9]\d{0,3}$/.test(replica)) throw new CliError(`--replica expects a number from 1, got "${replica}"`);
  const socket = await connect(a.positional[0]!, command, replica === undefined ? undefined : Number(replica));
  const final = await attach(socket);
  if (final?.type === 'exit') return final.code ?? 1;
  note(final ? `the session ended: ${final.message}` : 'the connection closed before the command ended');
  return 1;
}

function connect(id: string, command: string[], replica: number | undefined): Promise<WebSocket> {
  const url = `${apiTarget.baseUrl.replace(/^http/, 'ws')}${terminalPath(id, command, replica)}`;
  const headers: Record<string, string> = apiTarget.token ? { authorization: `Bearer ${apiTarget.token}` } : {};
  const socket = new WebSocket(url, [terminalProtocol], { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk));
      res.on('end', () => reject(new CliError(refusal(res.statusCode ?? 0, body))));
    });
    socket.once('error', (err) => reject(new CliError(`could not reach ${apiTarget.baseUrl}: ${err.message}`)));
  });
}

/** The API's `{error}` as the CLI prints every API error: `<status> <code>: <message>`. */
function refusal(status: number, body: string): string {
  try {
    const { error } = JSON.parse(body) as { error: { code: string; message: string } };
    return `${status} ${error.code}: ${error.message}`;
  } catch {
    return `the terminal was refused (${status})`;
  }
}

/** Wires this process's terminal to the session until the server closes it; resolves with its final message. */
function attach(socket: WebSocket): Promise<TerminalServerMessage | undefined> {
  const { stdin, stdout } = process;
  const raw = stdin.isTTY === true;
  const sendSize = () => stdout.isTTY && socket.send(JSON.stringify({ type: 'resize', cols: stdout.columns, rows: stdout.rows }));
  sendSize();
  stdout.on('resize', sendSize);
  if (raw) stdin.setRawMode(true);
  const input = (chunk: Buffer) => socket.send(chunk, { binary: true });
  stdin.on('data', input);
  // A TTY's end of input is ^D: what a piped stdin's end means to the command.
  stdin.once('end', () => socket.readyState === socket.OPEN && socket.send(Buffer.from([4]), { binary: true }));
  let final: TerminalServerMessage | undefined;
  socket.on('message', (data, isBinary) => {
    if (isBinary) stdout.write(data as Buffer);
    else final = parseServerMessage((data as Buffer).toString('utf8')) ?? final;
  });
  return new Promise((resolve) => {
    socket.once('close', () => {
      if (raw) stdin.setRawMode(false);
      stdin.off('data', input);
      stdin.pause();
      stdout.off('resize', sendSize);
      resolve(final);
    });
  });
}
