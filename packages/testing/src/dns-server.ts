import { createSocket, type RemoteInfo } from 'node:dgram';

/**
 * A tiny authoritative DNS server on loopback UDP for tests: it answers TXT
 * questions from a map, NXDOMAIN for names it does not know, and nothing at
 * all for names told to stay silent (a DNS timeout). Enough of RFC 1035 for
 * node's resolver (c-ares); an EDNS record in the question is ignored.
 */
export interface TestDnsServer {
  /** `127.0.0.1:<port>`: a DOMAIN_VERIFY_DNS_SERVERS value. */
  address: string;
  /** Serves these TXT values at `name` (replacing any), each value one record. */
  setTxt(name: string, ...values: string[]): void;
  /** Forgets `name` (NXDOMAIN again). */
  remove(name: string): void;
  /** Questions about `name` get no answer. */
  silence(name: string): void;
  /** Names asked about, in order (lowercase). */
  asked: string[];
  close(): Promise<void>;
}

const typeTxt = 16;
const rcodeNxDomain = 3;

interface Question {
  id: number;
  flags: number;
  /** The question section's bytes as sent (name, type, class), echoed in the answer. */
  section: Buffer;
  name: string;
  type: number;
}

function parseQuestion(msg: Buffer): Question | undefined {
  if (msg.length < 12 || msg.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  while (at < msg.length && msg[at] !== 0) {
    const len = msg[at]!;
    if (len > 63 || at + 1 + len > msg.length) return undefined;
    labels.push(msg.subarray(at + 1, at + 1 + len).toString('latin1'));
    at += 1 + len;
  }
  const end = at + 5; // the root label, type, class
  if (end > msg.length) return undefined;
  return { id: msg.readUInt16BE(0), flags: msg.readUInt16BE(2), section: msg.subarray(12, end), name: labels.join('.').toLowerCase(), type: msg.readUInt16BE(at + 1) };
}

/** A TXT record's data: each value as one or more strings of at most 255 bytes. */
function txtData(value: string): Buffer {
  const bytes = Buffer.from(value, 'utf8');
  const parts: Buffer[] = [];
  for (let i = 0; i === 0 || i < bytes.length; i += 255) {
    const chunk = bytes.subarray(i, i + 255);
    parts.push(Buffer.from([chunk.length]), chunk);
  }
  return Buffer.concat(parts);
}

function answer(q: Question, values: string[] | undefined): Buffer {
  const rd = q.flags & 0x0100;
  const records = q.type === typeTxt ? (values ?? []) : [];
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  header.writeUInt16BE(0x8400 | 0x0080 | rd | (values === undefined ? rcodeNxDomain : 0), 2); // QR, AA, RA
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const rrs = records.map((value) => {
    const data = txtData(value);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(typeTxt, 2);
    rr.writeUInt16BE(1, 4); // IN
    rr.writeUInt32BE(0, 6); // TTL 0: nothing cached between a test's steps
    rr.writeUInt16BE(data.length, 10);
    return Buffer.concat([rr, data]);
  });
  return Buffer.concat([header, q.section, ...rrs]);
}

export async function startDnsServer(): Promise<TestDnsServer> {
  const records = new Map<string, string[]>();
  const silent = new Set<string>();
  const asked: string[] = [];
  const socket = createSocket('udp4');
  socket.on('message', (msg: Buffer, from: RemoteInfo) => {
    const q = parseQuestion(msg);
    if (!q) return;
    asked.push(q.name);
    if (silent.has(q.name)) return;
    socket.send(answer(q, records.get(q.name)), from.port, from.address);
  });
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return {
    address: `127.0.0.1:${socket.address().port}`,
    setTxt: (name, ...values) => void records.set(name.toLowerCase(), values),
    remove: (name) => void records.delete(name.toLowerCase()),
    silence: (name) => void silent.add(name.toLowerCase()),
    asked,
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
