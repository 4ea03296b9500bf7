import { terminalSafe } from './terminal-text.ts';

/**
 * How the CLI prints: dim/bold on a terminal, plain text otherwise. Every line
 * passes through terminalSafe: much of what is printed (log lines, names,
 * error messages) comes from builds and apps.
 */
const isTty = process.stdout.isTTY;
export const dim = (s: string) => (isTty ? `\u001b[2m${s}\u001b[0m` : s);
export const bold = (s: string) => (isTty ? `\u001b[1m${s}\u001b[0m` : s);

export function say(line: string): void {
  process.stdout.write(`${terminalSafe(line)}\n`);
}

/** A progress note, like the platform's own system log lines. */
export function note(line: string): void {
  process.stdout.write(`${dim('berth')} ${terminalSafe(line)}\n`);
}

export function printLine(data: { stream: string; line: string }): void {
  const line = terminalSafe(data.line);
  process.stdout.write(data.stream === 'system' ? `${dim('berth')} ${line}\n` : `${line}\n`);
}

/** Rows of columns, each padded to its widest cell. */
export function table(rows: string[][]): void {
  const widths: number[] = [];
  for (const r of rows) r.forEach((c, i) => (widths[i] = Math.max(widths[i] ?? 0, c.length)));
  for (const r of rows) say(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ').trimEnd());
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(1)} ${units[u]}`;
}
