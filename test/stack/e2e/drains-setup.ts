import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { requireTool } from '@berth/testing/tools';
import { waitFor } from '@berth/testing/ports';

/** What a receiver took of one syslog message (the template below). */
export interface SyslogLine {
  app: string;
  procid: string;
  msgid: string;
  seq: number;
  msg: string;
}

/** Debian's rsyslogd as a real receiver: imtcp on a loopback port, every message written to a file, one line each. */
export function rsyslogReceiver(dir: string, port: number) {
  requireTool('rsyslogd', 'Debian: apt-get install rsyslog');
  const out = path.join(dir, 'received.log');
  const config = path.join(dir, 'rsyslog.conf');
  writeFileSync(
    config,
    [
      `global(workDirectory="${dir}")`,
      // An orderly stop writes out what it accepted (rsyslog's default gives its queue 1.5 s, then drops the rest).
      'main_queue(queue.timeoutShutdown="60000")',
      'module(load="imtcp")',
      `input(type="imtcp" address="127.0.0.1" port="${port}")`,
      'template(name="drained" type="string" string="%app-name% %procid% %msgid% %structured-data% %msg%\\n")',
      `*.* action(type="omfile" file="${out}" template="drained")`,
      '',
    ].join('\n'),
  );
  let child: ChildProcess | undefined;
  let errors = '';
  const listening = () =>
    new Promise<boolean>((resolve) => {
      const probe = net.connect({ host: '127.0.0.1', port }, () => resolve(true)).on('error', () => resolve(false));
      probe.on('connect', () => probe.destroy());
    });
  return {
    port,
    async start() {
      // Not the test's stdio: a receiver left running (a test that failed before stopping it) would
      // hold vitest's output pipes, and vitest waits for them to close (cold28 hung so).
      child = spawn('rsyslogd', ['-n', '-f', config, '-i', path.join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
      child.stderr!.on('data', (chunk: Buffer) => (errors = `${errors}${chunk}`.slice(-4000)));
      await waitFor('rsyslogd listening', listening, 10_000, 50).catch((err: Error) => {
        throw new Error(`${err.message}; rsyslogd said: ${errors}`);
      });
    },
    /** SIGTERM, as a service manager's restart does; resolves once it exited. */
    async stop() {
      const running = child;
      if (!running || running.exitCode !== null) return;
      await new Promise((r) => {
        running.once('exit', r);
        running.kill('SIGTERM');
      });
    },
    received(): SyslogLine[] {
      if (!existsSync(out)) return [];
      return readFileSync(out, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => {
          const m = /^(\S+) (\S+) (\S+) \[berth@32473 seq="(\d+)" stream="\w+"\] ?(.*)$/.exec(l);
          if (!m) throw new Error(`rsyslog wrote an unexpected line: ${l}`);
          return { app: m[1]!, procid: m[2]!, msgid: m[3]!, seq: Number(m[4]), msg: m[5]! };
        });
    },
  };
}

/** A CA and a certificate for 127.0.0.1 it signed (openssl): the HTTPS receiver's, trusted through LOG_DRAIN_CA_FILE. */
export function loopbackCertificate(dir: string): { caFile: string; cert: string; key: string } {
  requireTool('openssl', 'Debian: apt-get install openssl');
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=Berth test CA', '-keyout', 'ca.key', '-out', 'ca.pem');
  run('req', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=127.0.0.1', '-keyout', 'rx.key', '-out', 'rx.csr');
  writeFileSync(path.join(dir, 'rx.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run('x509', '-req', '-in', 'rx.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '2', '-extfile', 'rx.ext', '-out', 'rx.pem');
  return { caFile: path.join(dir, 'ca.pem'), cert: readFileSync(path.join(dir, 'rx.pem'), 'utf8'), key: readFileSync(path.join(dir, 'rx.key'), 'utf8') };
}
