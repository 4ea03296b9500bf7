/**
 * berth — a small command line for the Berth API.
 *
 *   berth deploy <dir | app.zip | app.tar.gz | git-url> [--name N] [--port P] [--ref R] [--root-dir D] [--env K=V ...]
 *   berth logs <id> [--follow]      berth list      berth cancel <id>      berth rm <id>
 *
 * BERTH_URL (default http://localhost:8080) and BERTH_TOKEN (default: .berth/admin-token) say where and who.
 * `deploy` shows the build as it happens and exits 0 once the app is live, 1 if it failed.
 */
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import yazl from 'yazl';

const baseUrl = (process.env.BERTH_URL ?? 'http://localhost:8080').replace(/\/+$/, '');
const token =
  process.env.BERTH_TOKEN ??
  (existsSync('.berth/admin-token') ? readFileSync('.berth/admin-token', 'utf8').trim() : undefined);
const isTty = process.stdout.isTTY;
const dim = (s: string) => (isTty ? `\u001b[2m${s}\u001b[0m` : s);
const bold = (s: string) => (isTty ? `\u001b[1m${s}\u001b[0m` : s);

class CliError extends Error {}

function cliVersion(): string {
  const manifest = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

async function api(method: string, pathname: string, body?: RequestInit['body'], headers: Record<string, string> = {}): Promise<any> {
  const res = await fetch(`${baseUrl}${pathname}`, {
    method,
    body,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  }).catch((err: unknown) => {
    throw new CliError(`cannot reach Berth at ${baseUrl}: ${err instanceof Error ? err.message : String(err)}`);
  });
  const text = await res.text();
  const json = text ? JSON.parse(text) : undefined;
  if (!res.ok) throw new CliError(`${res.status} ${json?.error?.code ?? ''}: ${json?.error?.message ?? text}`);
  return json;
}

function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  const walk = (rel: string) => {
    for (const name of readdirSync(path.join(dir, rel))) {
      if (name === 'node_modules' && rel === '' && !existsSync(path.join(dir, 'Dockerfile'))) continue;
      if (name === '.git') continue;
      const child = rel ? `${rel}/${name}` : name;
      const info = statSync(path.join(dir, child));
      if (info.isDirectory()) walk(child);
      else if (info.isFile()) zip.addFile(path.join(dir, child), child);
    }
  };
  walk('');
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Reads an SSE stream; calls `onEvent` per event; resolves when the server ends it. */
async function streamEvents(pathname: string, onEvent: (event: string, data: any) => void): Promise<void> {
  const res = await fetch(`${baseUrl}${pathname}`, {
    headers: { accept: 'text/event-stream', ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
  if (!res.ok || !res.body) throw new CliError(`event stream answered ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let sep: number;
    while ((sep = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, sep);
      buffer = buffer.slice(sep + 2);
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) onEvent(event, JSON.parse(data));
    }
  }
}

function printLine(data: { stream: string; line: string }): void {
  process.stdout.write(data.stream === 'system' ? `${dim('berth')} ${data.line}\n` : `${data.line}\n`);
}

function parseFlags(args: string[]): { positional: string[]; flags: Map<string, string[]> } {
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--')) {
      const name = a.slice(2);
      const value = name === 'follow' ? 'true' : args[++i];
      if (value === undefined) throw new CliError(`--${name} needs a value`);
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return { positional, flags };
}

async function deploy(args: string[]): Promise<number> {
  const { positional, flags } = parseFlags(args);
  const source = positional[0];
  if (!source) throw new CliError('usage: berth deploy <dir | archive | git-url> [--name N] [--port P] [--env K=V]');
  const env = Object.fromEntries(
    (flags.get('env') ?? []).map((kv) => {
      const eq = kv.indexOf('=');
      if (eq < 1) throw new CliError(`--env expects KEY=VALUE, got "${kv}"`);
      return [kv.slice(0, eq), kv.slice(eq + 1)];
    }),
  );
  const one = (name: string) => flags.get(name)?.at(-1);
  let created: any;
  if (/^(https?|git):\/\//.test(source)) {
    const body = { gitUrl: source, ref: one('ref'), rootDir: one('root-dir'), name: one('name'), port: one('port') ? Number(one('port')) : undefined, env };
    created = await api('POST', '/api/deployments', JSON.stringify(body), { 'content-type': 'application/json' });
  } else {
    if (!existsSync(source)) throw new CliError(`${source} does not exist`);
    const isDir = statSync(source).isDirectory();
    const data = isDir ? await zipDirectory(source) : readFileSync(source);
    const form = new FormData();
    const name = one('name') ?? (isDir ? path.basename(path.resolve(source)) : undefined);
    if (name) form.append('name', name);
    if (one('port')) form.append('port', one('port')!);
    if (one('root-dir')) form.append('rootDir', one('root-dir')!);
    if (Object.keys(env).length) form.append('env', JSON.stringify(env));
    form.append('projectArchive', new Blob([data]), isDir ? `${name ?? 'app'}.zip` : path.basename(source));
    process.stdout.write(`${dim('berth')} uploading ${data.length} bytes\n`);
    created = await api('POST', '/api/deployments', form);
  }
  process.stdout.write(`${dim('berth')} deployment ${bold(created.id)} queued\n`);
  let final: any;
  await streamEvents(`/api/deployments/${created.id}/events`, (event, data) => {
    if (event === 'log') printLine(data);
    else if (event === 'status') {
      process.stdout.write(`${dim('berth')} → ${bold(data.status)}\n`);
      final = data;
    }
  });
  if (final?.status === 'running') {
    process.stdout.write(`\n${bold('live')}  ${created.url}\n      ${created.projectUrl}\n`);
    return 0;
  }
  process.stdout.write(`\n${bold(final?.status ?? 'unknown')} ${final?.errorCode ?? ''}: ${final?.errorMessage ?? ''}\n`);
  return 1;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'deploy':
      return deploy(rest);
    case 'logs': {
      const { positional, flags } = parseFlags(rest);
      const id = positional[0];
      if (!id) throw new CliError('usage: berth logs <id> [--follow]');
      if (flags.has('follow')) {
        await streamEvents(`/api/deployments/${id}/events?follow=runtime`, (event, data) => {
          if (event === 'log') printLine(data);
          else if (event === 'status') process.stdout.write(`${dim('berth')} → ${bold(data.status)}\n`);
        });
      } else {
        let since = 0;
        for (;;) {
          const page = await api('GET', `/api/deployments/${id}/logs?since=${since}&limit=10000`);
          page.lines.forEach(printLine);
          if (!page.hasMore) break;
          since = page.nextSince;
        }
      }
      return 0;
    }
    case 'list': {
      const page = await api('GET', '/api/deployments?limit=50');
      for (const d of page.items) process.stdout.write(`${d.id}  ${d.status.padEnd(9)} ${d.project.padEnd(20)} ${d.url}\n`);
      return 0;
    }
    case 'cancel':
    case 'rm': {
      const id = rest[0];
      if (!id) throw new CliError(`usage: berth ${command} <id>`);
      const d = await api(command === 'cancel' ? 'POST' : 'DELETE', `/api/deployments/${id}${command === 'cancel' ? '/cancel' : ''}`);
      process.stdout.write(`${d.id} ${d.status}\n`);
      return 0;
    }
    case 'version':
    case '--version':
      process.stdout.write(`berth ${cliVersion()} (Node ${process.version})\n`);
      return 0;
    default:
      process.stderr.write(
        'usage: berth deploy <dir|archive|git-url> | logs <id> [--follow] | list | cancel <id> | rm <id> | --version\n' +
          '       BERTH_URL (default http://localhost:8080), BERTH_TOKEN (default .berth/admin-token)\n',
      );
      return command ? 2 : 0;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`berth: ${err instanceof CliError ? err.message : err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
