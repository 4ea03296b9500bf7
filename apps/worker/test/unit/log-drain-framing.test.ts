import net from 'node:net';
import { describe, expect, it } from 'vitest';
import type { LogLine } from '@berth/shared/log-line';
import { parseDrainUrl, resolveDrainTarget, type ResolvedDrainTarget } from '@berth/shared/log-drain-target';
import { drainRetryDelay } from '../../src/drains/drain-deliverer.ts';
import { ndjsonBatch } from '../../src/drains/https-drain.ts';
import { octetCounted, syslogBatch, syslogMessage } from '../../src/drains/syslog-frame.ts';
import { sendSyslogBatch } from '../../src/drains/syslog-sender.ts';

const source = { project: 'shop', deploymentId: 'd0123456789abcdef', hostname: 'berth' };
const line = (seq: number, text: string, stream: LogLine['stream'] = 'build'): LogLine => ({ seq, ts: '2026-12-07T12:00:00.123Z', stream, line: text });

describe('syslog framing (RFC 5424 messages, RFC 6587 octet counting)', () => {
  it('names the project, deployment, stream and seq', () => {
    expect(syslogMessage(line(42, 'npm run build'), source)).toBe(
      '<14>1 2026-12-07T12:00:00.123Z berth shop d0123456789abcdef build [berth@32473 seq="42" stream="build"] npm run build',
    );
    expect(syslogMessage(line(1, 'restarted', 'system'), source)).toMatch(/^<13>1 .* system \[berth@32473 seq="1" stream="system"\] restarted$/);
    // Header fields are printable ASCII without spaces; an empty one is "-".
    expect(syslogMessage(line(1, 'x'), { ...source, hostname: 'my host\u00e9' })).toContain(' myhost shop ');
    expect(syslogMessage(line(1, 'x'), { ...source, hostname: '' })).toContain('Z - shop ');
  });

  it('counts bytes, not characters, so a line may hold any text', () => {
    expect(octetCounted('h\u00e9 ]"\n')).toBe('7 h\u00e9 ]"\n');
    const batch = syslogBatch([line(1, 'a'), line(2, '\u00e9\u00e9')], source).toString();
    const first = syslogMessage(line(1, 'a'), source);
    expect(batch.startsWith(`${Buffer.byteLength(first)} ${first}`)).toBe(true);
    expect(batch.endsWith(' \u00e9\u00e9')).toBe(true);
  });

  it('HTTPS batches are NDJSON, one record a line, in seq order', () => {
    const body = ndjsonBatch([line(1, 'a'), line(2, 'b "quoted"')], source);
    const records = body.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(records).toEqual([
      { project: 'shop', deploymentId: source.deploymentId, seq: 1, ts: '2026-12-07T12:00:00.123Z', stream: 'build', line: 'a' },
      { project: 'shop', deploymentId: source.deploymentId, seq: 2, ts: '2026-12-07T12:00:00.123Z', stream: 'build', line: 'b "quoted"' },
    ]);
  });

  it('backs off doubling from the base, capped', () => {
    expect([1, 2, 3, 4, 10].map((n) => drainRetryDelay(n, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe('drain URLs', () => {
  it('takes syslog+tcp, syslog+tls and https; refuses the rest with a reason', () => {
    expect(parseDrainUrl('syslog+tcp://logs.example:514', { allowHttp: false })).toMatchObject({ kind: 'syslog', tls: false, hostname: 'logs.example', port: 514 });
    expect(parseDrainUrl('syslog+tls://[2001:db8::1]:6514', { allowHttp: false })).toMatchObject({ kind: 'syslog', tls: true, hostname: '2001:db8::1', port: 6514 });
    expect(parseDrainUrl('https://logs.example/in?key=1', { allowHttp: false })).toMatchObject({ kind: 'https', tls: true, port: 443 });
    expect(parseDrainUrl('http://logs.example/in', { allowHttp: true })).toMatchObject({ kind: 'https', tls: false, port: 80 });
    const refused: [string, RegExp][] = [
      ['http://logs.example/in', /LOG_DRAIN_ALLOW_HTTP/],
      ['syslog+udp://logs.example:514', /must be syslog\+tcp/],
      ['ftp://logs.example/', /must be syslog\+tcp/],
      ['syslog+tcp://logs.example', /needs its port/],
      ['syslog+tcp://logs.example:514/path', /no path/],
      ['https://user:pw@logs.example/', /credentials/],
      ['not a url', /not a URL/],
    ];
    for (const [url, reason] of refused) expect(() => parseDrainUrl(url, { allowHttp: false }), url).toThrow(reason);
  });

  it('refuses loopback, private and link-local receivers unless the operator allows them (the webhooks\' check)', async () => {
    const lookup = async () => [{ address: '10.1.2.3', family: 4 }];
    for (const url of ['syslog+tcp://127.0.0.1:514', 'syslog+tls://169.254.169.254:6514', 'https://[::1]/']) {
      await expect(resolveDrainTarget(url, { allowHttp: false, allowPrivate: false }), url).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    }
    await expect(resolveDrainTarget('syslog+tcp://internal.example:514', { allowHttp: false, allowPrivate: false, lookup })).rejects.toThrow(/WEBHOOK_ALLOW_PRIVATE_HOSTS/);
    expect(await resolveDrainTarget('syslog+tcp://internal.example:514', { allowHttp: false, allowPrivate: true, lookup })).toMatchObject({ address: '10.1.2.3', port: 514 });
  });
});

/** A TCP receiver on loopback that does `onConnection` with each connection. */
async function receiver(onConnection: (socket: net.Socket) => void): Promise<{ target: ResolvedDrainTarget; close: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    onConnection(socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as net.AddressInfo;
  const target = { ...parseDrainUrl(`syslog+tcp://127.0.0.1:${port}`, { allowHttp: false }), address: '127.0.0.1', family: 4 as const };
  return {
    target,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('sendSyslogBatch: a batch counts once the receiver read it to the end', () => {
  it('resolves after a receiver that read everything closed its side', async () => {
    const chunks: Buffer[] = [];
    const rx = await receiver((s) => s.on('data', (c) => chunks.push(c)).on('end', () => s.end()));
    const batch = syslogBatch([line(1, 'a'.repeat(100_000)), line(2, 'b')], source);
    await sendSyslogBatch(rx.target, batch, { timeoutMs: 5000 });
    expect(Buffer.concat(chunks).equals(batch)).toBe(true);
    await rx.close();
  });

  it('fails when the receiver is down or stops without reading the batch', async () => {
    const down = await receiver(() => {});
    await down.close();
    await expect(sendSyslogBatch(down.target, Buffer.from('1 x'), { timeoutMs: 5000 })).rejects.toThrow(/ECONNREFUSED/);
    // Killed with the batch unread: the kernel resets the connection.
    const killed = await receiver((s) => setTimeout(() => s.resetAndDestroy(), 50));
    await expect(sendSyslogBatch(killed.target, syslogBatch([line(1, 'x'.repeat(1_000_000))], source), { timeoutMs: 5000 })).rejects.toThrow();
    await killed.close();
  });

  it('fails at the deadline when the batch could not even be written', async () => {
    const stalled = await receiver((s) => s.pause()); // reads nothing: a big batch never leaves the buffers
    await expect(sendSyslogBatch(stalled.target, Buffer.alloc(64 * 1024 * 1024, 'x'), { timeoutMs: 300 })).rejects.toThrow(/within 300 ms/);
    await stalled.close();
  });
});
