/**
 * Reading a Dockerfile the way the builder does, as far as the policy
 * (dockerfile-policy.ts) needs: logical instructions with their lines, flags
 * and arguments, `ARG` declarations, and variable expansion. Pure.
 */
export interface Instruction {
  /** 1-based line where the instruction starts. */
  line: number;
  keyword: string;
  rest: string;
}

/** Logical instructions with their starting line, read with `escape` as the continuation character. */
export function instructions(text: string, escape: '\\' | '`'): Instruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // Parser directives (`# escape=`, `# syntax=`) are comment lines, skipped like any other.
  const out: Instruction[] = [];
  let start = 0;
  let buffer: string | undefined;
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!;
    const trimmed = raw.trim();
    if (buffer === undefined) {
      if (trimmed === '' || trimmed.startsWith('#')) continue;
      start = index + 1;
      buffer = '';
    } else if (trimmed === '' || trimmed.startsWith('#')) {
      continue; // comments and blank lines inside a continuation are dropped
    }
    const continued = raw.replace(/\s+$/, '');
    if (continued.endsWith(escape)) {
      buffer += continued.slice(0, -1);
      continue;
    }
    buffer += raw;
    const ins = splitInstruction(buffer, start);
    if (ins) out.push(ins);
    buffer = undefined;
  }
  if (buffer !== undefined) {
    const ins = splitInstruction(buffer, start);
    if (ins) out.push(ins);
  }
  return out;
}

export function splitInstruction(text: string, line: number): Instruction | undefined {
  const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  return { line, keyword: m[1]!.toUpperCase(), rest: m[2]!.trim() };
}

/** Leading `--flag=value` words, then the arguments (JSON array form or whitespace-separated). */
export function splitArgs(rest: string): { flags: string[]; args: string[] } {
  const flags: string[] = [];
  let remaining = rest.trim();
  for (;;) {
    const m = /^(--\S+)\s*/.exec(remaining);
    if (!m) break;
    flags.push(m[1]!);
    remaining = remaining.slice(m[0].length);
  }
  if (remaining.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(remaining);
      if (Array.isArray(parsed) && parsed.every((p) => typeof p === 'string')) return { flags, args: parsed };
    } catch {
      // Not valid JSON: the builder then reads it as plain words, and so do we.
    }
  }
  return { flags, args: remaining.split(/\s+/).filter(Boolean) };
}

/** `ARG a=1 b`: names with their defaults (undefined: none). */
export function declarations(rest: string): [string, string | undefined][] {
  return (rest.match(/[^\s=]+(=("[^"]*"|'[^']*'|\S*))?/g) ?? []).map((word) => {
    const eq = word.indexOf('=');
    return eq === -1 ? [word, undefined] : [word.slice(0, eq), unquote(word.slice(eq + 1))];
  });
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** What the builder's shell lexer could make of a word: quotes and escape characters dropped. */
export function unquoted(word: string): string {
  return word.replace(/["'\\`]/g, '');
}

/**
 * `$A`, `${A}`, `${A:-default}`, `${A:+alt}` with `vars`; an unknown one becomes empty, as in the
 * builder. Any other form (`${A-x}`, `${A#x}` …) is left as it is, so the caller sees a `$` and refuses.
 */
export function expand(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, plain) => {
    const name = (braced ?? plain) as string;
    const current = vars.get(name);
    if (op === '-') return current ? current : expand(word as string, vars);
    if (op === '+') return current ? expand(word as string, vars) : '';
    return current ?? '';
  });
}
