import type { LogLine } from '@berth/shared/log-line';

/** Whose lines a drain sends: what each syslog message and NDJSON record names. */
export interface DrainSource {
  project: string;
  deploymentId: string;
  /** The HOSTNAME field: the installation (BERTH_INSTANCE), the same from every worker. */
  hostname: string;
}

/**
 * The private enterprise number RFC 5612 reserves for documentation and examples:
 * Berth's structured data is `[berth@32473 seq="…" stream="…"]`.
 */
export const structuredDataId = 'berth@32473';

/** Facility user (1); severity informational (6) for the app's lines, notice (5) for Berth's own. */
function priority(line: LogLine): number {
  return 1 * 8 + (line.stream === 'system' ? 5 : 6);
}

/** A header field: printable US-ASCII without spaces, at most `max` characters, `-` when empty (RFC 5424 §6.2). */
function field(value: string, max: number): string {
  const printable = value.replace(/[^\x21-\x7e]/g, '').slice(0, max);
  return printable === '' ? '-' : printable;
}

/**
 * One stored line as an RFC 5424 message: APP-NAME the project, PROCID the
 * deployment, MSGID the line's stream (build, runtime, system), the seq in the
 * structured data, the line as MSG.
 */
export function syslogMessage(line: LogLine, source: DrainSource): string {
  const header = [
    `<${priority(line)}>1`,
    line.ts,
    field(source.hostname, 255),
    field(source.project, 48),
    field(source.deploymentId, 128),
    field(line.stream, 32),
  ].join(' ');
  return `${header} [${structuredDataId} seq="${line.seq}" stream="${line.stream}"] ${line.line}`;
}

/** Octet-counting framing (RFC 6587 §3.4.1): `<length in bytes> <message>`, so a message may hold any byte. */
export function octetCounted(message: string): string {
  return `${Buffer.byteLength(message)} ${message}`;
}

/** A batch of lines as the bytes one syslog connection sends. */
export function syslogBatch(lines: readonly LogLine[], source: DrainSource): Buffer {
  return Buffer.from(lines.map((line) => octetCounted(syslogMessage(line, source))).join(''));
}
