/** A piece of a log line with the SGR style it was printed in. */
export interface Span {
  text: string;
  /** Class names: fg-<n>, bg-<n> (0-15), bold, dim, italic, underline. */
  classes: string;
}

/** What a terminal shows of a line rewritten with carriage returns: the text after the last \r. */
export function finalState(line: string): string {
  const cr = line.lastIndexOf('\r', line.length - 2);
  return (cr === -1 ? line : line.slice(cr + 1)).replace(/\r$/, '');
}

// eslint-disable-next-line no-control-regex
const escape = /\x1b\[([0-9;]*)([A-Za-z])/g;

/** Splits a line into styled spans; SGR colours become classes, every other escape is dropped. */
export function ansiSpans(line: string): Span[] {
  const spans: Span[] = [];
  let state = { fg: -1, bg: -1, bold: false, dim: false, italic: false, underline: false };
  let at = 0;
  const flush = (end: number) => {
    if (end > at) spans.push({ text: line.slice(at, end), classes: classesOf(state) });
  };
  for (const match of line.matchAll(escape)) {
    flush(match.index);
    at = match.index + match[0].length;
    if (match[2] === 'm') state = applySgr(state, match[1] ?? '');
  }
  flush(line.length);
  return spans;
}

type Sgr = { fg: number; bg: number; bold: boolean; dim: boolean; italic: boolean; underline: boolean };

function applySgr(state: Sgr, params: string): Sgr {
  const next = { ...state };
  const codes = params === '' ? [0] : params.split(';').map(Number);
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) Object.assign(next, { fg: -1, bg: -1, bold: false, dim: false, italic: false, underline: false });
    else if (code === 1) next.bold = true;
    else if (code === 2) next.dim = true;
    else if (code === 3) next.italic = true;
    else if (code === 4) next.underline = true;
    else if (code === 22) next.bold = next.dim = false;
    else if (code === 23) next.italic = false;
    else if (code === 24) next.underline = false;
    else if (code >= 30 && code <= 37) next.fg = code - 30;
    else if (code === 39) next.fg = -1;
    else if (code >= 40 && code <= 47) next.bg = code - 40;
    else if (code === 49) next.bg = -1;
    else if (code >= 90 && code <= 97) next.fg = code - 90 + 8;
    else if (code >= 100 && code <= 107) next.bg = code - 100 + 8;
    else if ((code === 38 || code === 48) && codes[i + 1] === 5) {
      const n = codes[i + 2] ?? -1;
      if (n >= 0 && n < 16) next[code === 38 ? 'fg' : 'bg'] = n;
      i += 2;
    } else if ((code === 38 || code === 48) && codes[i + 1] === 2) i += 4;
  }
  return next;
}

function classesOf(s: Sgr): string {
  const out: string[] = [];
  if (s.fg >= 0) out.push(`fg-${s.fg}`);
  if (s.bg >= 0) out.push(`bg-${s.bg}`);
  if (s.bold) out.push('bold');
  if (s.dim) out.push('dim');
  if (s.italic) out.push('italic');
  if (s.underline) out.push('underline');
  return out.join(' ');
}

/** A line as plain text (search, download). */
export function plainText(line: string): string {
  return finalState(line).replace(escape, '');
}
