import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { describe, expect, it } from 'vitest';
import { parseDrainUrl } from '@berth/shared/log-drain-target';
import { requireTool } from '@berth/testing/tools';
import { sendSyslogBatch } from '../../src/drains/syslog-sender.ts';

// syslog+tls://: the receiver's certificate is checked (the system's CAs, or LOG_DRAIN_CA_FILE's).
describe('sendSyslogBatch over TLS', () => {
  it('sends to a receiver whose certificate chains to a given CA, and refuses one it cannot check', async () => {
    requireTool('openssl', 'Debian: apt-get install openssl');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-drain-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', 'key.pem', '-out', 'cert.pem'], { cwd: dir, stdio: 'ignore' });
    const cert = readFileSync(path.join(dir, 'cert.pem'), 'utf8');
    const chunks: Buffer[] = [];
    const server = tls.createServer({ cert, key: readFileSync(path.join(dir, 'key.pem'), 'utf8') }, (s) => s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => s.end()));
    server.on('tlsClientError', () => {});
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const target = { ...parseDrainUrl(`syslog+tls://127.0.0.1:${(server.address() as AddressInfo).port}`, { allowHttp: false }), address: '127.0.0.1', family: 4 as const };

    await sendSyslogBatch(target, Buffer.from('5 hello'), { timeoutMs: 5000, ca: [cert] });
    expect(Buffer.concat(chunks).toString()).toBe('5 hello');
    await expect(sendSyslogBatch(target, Buffer.from('5 again'), { timeoutMs: 5000 })).rejects.toThrow(/self-signed|self signed/);
    await new Promise((r) => server.close(r));
  });
});
