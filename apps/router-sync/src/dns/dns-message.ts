/**
 * The little of the DNS wire format (RFC 1035, SRV: RFC 2782) that Caddy's
 * lookups of router-sync need: one question in, an answer of A or SRV
 * records (or none) out. Anything else is not parsed, and a query that does
 * not parse gets no answer at all.
 */

export const recordType = { A: 1, SRV: 33 } as const;
export const rcode = { noError: 0, formErr: 1, nxDomain: 3, notImp: 4 } as const;

export interface DnsQuestion {
  id: number;
  /** Recursion desired, echoed back as resolvers expect. */
  rd: boolean;
  /** The queried name as sent, without its final dot (its bytes, as latin1). */
  name: string;
  /** Where the question ends in the packet (the echo of it in the answer ends there). */
  questionEnd: number;
  type: number;
  klass: number;
}

export type DnsRecord = { type: 'A'; ipv4: string } | { type: 'SRV'; port: number; target: string };

/** Longest name the wire allows (RFC 1035 2.3.4), in presentation form without the final dot. */
const maxNameLength = 253;

/** The query's one question, or undefined for anything that is not a plain standard query. */
export function parseQuery(packet: Buffer): DnsQuestion | undefined {
  if (packet.length < 12 || packet.length > 512) return undefined;
  const flags = packet.readUInt16BE(2);
  const isQuery = (flags & 0x8000) === 0;
  const opcode = (flags >> 11) & 0xf;
  if (!isQuery || opcode !== 0 || packet.readUInt16BE(4) !== 1) return undefined;
  const labels: string[] = [];
  let at = 12;
  for (;;) {
    const length = packet[at];
    if (length === undefined || length > 63) return undefined; // a compression pointer has no place in a question
    at++;
    if (length === 0) break;
    if (at + length > packet.length) return undefined;
    labels.push(packet.toString('latin1', at, at + length));
    at += length;
  }
  const name = labels.join('.');
  if (name.length > maxNameLength || at + 4 > packet.length) return undefined;
  return {
    id: packet.readUInt16BE(0),
    rd: (flags & 0x0100) !== 0,
    name,
    questionEnd: at + 4,
    type: packet.readUInt16BE(at),
    klass: packet.readUInt16BE(at + 2),
  };
}

/** The answer to `query`: its question echoed, then `records` (each named by a pointer to the question's name). */
export function encodeAnswer(packet: Buffer, query: DnsQuestion, code: number, records: readonly DnsRecord[], ttlSeconds: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.id, 0);
  // QR, authoritative, RD echoed, no recursion available.
  header.writeUInt16BE(0x8000 | 0x0400 | (query.rd ? 0x0100 : 0) | code, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(records.length, 6);
  const question = packet.subarray(12, query.questionEnd);
  return Buffer.concat([header, question, ...records.map((r) => encodeRecord(r, ttlSeconds))]);
}

function encodeRecord(record: DnsRecord, ttlSeconds: number): Buffer {
  const data = record.type === 'A' ? Buffer.from(record.ipv4.split('.').map(Number)) : srvData(record.port, record.target);
  const fixed = Buffer.alloc(12);
  fixed.writeUInt16BE(0xc00c, 0); // the question's name, at offset 12
  fixed.writeUInt16BE(recordType[record.type], 2);
  fixed.writeUInt16BE(1, 4); // class IN
  fixed.writeUInt32BE(ttlSeconds, 6);
  fixed.writeUInt16BE(data.length, 10);
  return Buffer.concat([fixed, data]);
}

function srvData(port: number, target: string): Buffer {
  const fields = Buffer.alloc(6);
  fields.writeUInt16BE(0, 0); // priority
  fields.writeUInt16BE(0, 2); // weight
  fields.writeUInt16BE(port, 4);
  return Buffer.concat([fields, encodeName(target)]);
}

/** `a.b.c` → its labels on the wire, ending with the root. */
export function encodeName(name: string): Buffer {
  const parts = name.split('.').filter((label) => label.length > 0);
  return Buffer.concat([...parts.map((label) => Buffer.concat([Buffer.from([label.length]), Buffer.from(label, 'latin1')])), Buffer.from([0])]);
}
