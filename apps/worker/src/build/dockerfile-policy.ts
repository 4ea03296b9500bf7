import { BerthError } from '@berth/shared/errors';

/**
 * What a Dockerfile may not do here, checked before the daemon sees it.
 *
 * - `ADD <url>`: the daemon fetches the URL itself, from the host's network
 *   namespace, so `ADD http://127.0.0.1:2019/config/ /x` would read Caddy's
 *   admin API (or Redis, Postgres, the API) into the image. Any ADD source that
 *   is a URL or a git remote is refused, and so is one that uses a variable
 *   (`ADD $SRC /x`), which could hide one. COPY never fetches: it is the way.
 * - `FROM` / `COPY --from=` naming a Berth app image (`berth-<instance>/…`, or
 *   an image id, which names any local image): one app must not build from
 *   another app's image and read its files.
 *
 * Pure: text in, violations out. It follows the legacy builder's parser where
 * it matters: case-insensitive instructions, line continuations (with comment
 * and blank lines inside them, and either escape character), the JSON form,
 * `--flags`, `ONBUILD`, and `${VAR}` substitution in FROM from the ARGs
 * declared before the first FROM (the only ones a FROM sees; Berth passes no
 * build args, so their defaults are the values). A variable in `COPY --from=`
 * is refused rather than guessed at.
 *
 * Where a parser of ours and the daemon's could disagree, the check errs on
 * the side of refusing: the builder runs ADD and FROM words through a shell
 * lexer (`"http://…"` and `h\ttp://…` are fetched as URLs, measured), so quotes
 * and escape characters are dropped before matching; and the file is read
 * with both escape characters, so a `# escape=` directive we would read
 * differently cannot hide an instruction inside a continuation.
 */
export interface DockerfileViolation {
  /** 1-based line where the instruction starts. */
  line: number;
  message: string;
}

interface Instruction {
  line: number;
  keyword: string;
  rest: string;
}

export function checkDockerfile(text: string): DockerfileViolation[] {
  const seen = new Set<string>();
  const out: DockerfileViolation[] = [];
  for (const escape of ['\\', '`'] as const) {
    for (const v of checkInstructions(instructions(text, escape))) {
      const key = `${v.line}\n${v.message}`;
      if (!seen.has(key)) out.push(v);
      seen.add(key);
    }
  }
  return out.sort((a, b) => a.line - b.line);
}

function checkInstructions(list: Instruction[]): DockerfileViolation[] {
  const violations: DockerfileViolation[] = [];
  /** ARGs before the first FROM: the only variables FROM lines see. */
  const globalArgs = new Map<string, string>();
  let seenFrom = false;
  const stages = new Set<string>();
  const visit = (ins: Instruction, onbuild: boolean) => {
    const where = onbuild ? 'ONBUILD ' : '';
    switch (ins.keyword) {
      case 'ONBUILD': {
        const inner = splitInstruction(ins.rest, ins.line);
        if (inner) visit(inner, true);
        return;
      }
      case 'ARG':
        if (seenFrom || onbuild) return;
        for (const [k, v] of declarations(ins.rest)) {
          if (!globalArgs.has(k) || v !== undefined) globalArgs.set(k, expand(v ?? '', globalArgs));
        }
        return;
      case 'FROM': {
        if (!onbuild) seenFrom = true;
        const { args } = splitArgs(ins.rest);
        const image = expand(unquoted(args[0] ?? ''), globalArgs);
        // An earlier stage of this Dockerfile is not a local image (and may look like an id: `FROM abc`).
        const problem = stages.has(image.toLowerCase()) ? undefined : appImageProblem(image);
        if (problem) violations.push({ line: ins.line, message: `${where}FROM ${args[0]}: ${problem}` });
        if (args[1]?.toLowerCase() === 'as' && args[2]) stages.add(args[2].toLowerCase());
        return;
      }
      case 'COPY': {
        const { flags } = splitArgs(ins.rest);
        for (const flag of flags) {
          const m = /^--from=(.*)$/i.exec(flag);
          if (!m) continue;
          const source = unquoted(m[1]!);
          if (stages.has(source.toLowerCase()) || /^\d+$/.test(source)) continue;
          const problem = appImageProblem(source);
          if (problem) violations.push({ line: ins.line, message: `${where}COPY --from=${m[1]}: ${problem}` });
        }
        return;
      }
      case 'ADD': {
        const { args } = splitArgs(ins.rest);
        for (const source of args.slice(0, -1)) {
          const problem = remoteSourceProblem(source);
          if (problem) violations.push({ line: ins.line, message: `${where}ADD ${source}: ${problem}` });
        }
        return;
      }
      default:
        return;
    }
  };
  for (const ins of list) visit(ins, false);
  return violations;
}

/** Throws UNSAFE_DOCKERFILE naming the first offending line. */
export function assertSafeDockerfile(text: string): void {
  const [first, ...more] = checkDockerfile(text);
  if (!first) return;
  throw new BerthError(
    'UNSAFE_DOCKERFILE',
    `Dockerfile line ${first.line}: ${first.message}${more.length ? ` (and ${more.length} more)` : ''}`,
  );
}

/** What the builder's shell lexer could make of a word: quotes and escape characters dropped. */
function unquoted(word: string): string {
  return word.replace(/["'\\`]/g, '');
}

function remoteSourceProblem(raw: string): string | undefined {
  if (raw.includes('$')) return 'ADD sources may not use variables (they could name a URL); use COPY';
  const source = unquoted(raw);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    return 'ADD from a URL is not allowed (the Docker daemon would fetch it from the host); use COPY with files in the source';
  }
  // scp-like git remotes (git@host:repo) and git repositories by name.
  if (/^[^/\s]+@[^/\s]+:/.test(source) || /\.git(#.*)?$/i.test(source) || /^(github\.com|gitlab\.com|bitbucket\.org)\//i.test(source)) {
    return 'ADD from a git repository is not allowed; use COPY with files in the source';
  }
  return undefined;
}

/** Why `ref` may not be used as a base or COPY source, or undefined when it may. */
function appImageProblem(ref: string): string | undefined {
  if (ref.includes('$')) return 'the image name may not use variables here';
  let name = ref.toLowerCase();
  // Docker reads `berth-x/y` and `docker.io/berth-x/y` as the same local image.
  name = name.replace(/^(docker\.io|index\.docker\.io|registry-1\.docker\.io)\//, '');
  if (/^berth-[^/]*\//.test(name)) return 'building from a Berth app image is not allowed';
  // Any length: the builder resolves a prefix as short as 3 characters when it names one image.
  if (/^(sha256:)?[0-9a-f]+$/.test(name)) return 'building from an image id is not allowed (it can name any local image)';
  return undefined;
}

/** Logical instructions with their starting line, read with `escape` as the continuation character. */
function instructions(text: string, escape: '\\' | '`'): Instruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  // Parser directives (`# escape=`, `# syntax=`) are comment lines, skipped like any other.
  let index = 0;
  const out: Instruction[] = [];
  let start = 0;
  let buffer: string | undefined;
  for (; index < lines.length; index++) {
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

function splitInstruction(text: string, line: number): Instruction | undefined {
  const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(text);
  if (!m) return undefined;
  return { line, keyword: m[1]!.toUpperCase(), rest: m[2]!.trim() };
}

/** Leading `--flag=value` words, then the arguments (JSON array form or whitespace-separated). */
function splitArgs(rest: string): { flags: string[]; args: string[] } {
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
function declarations(rest: string): [string, string | undefined][] {
  return (rest.match(/[^\s=]+(=("[^"]*"|'[^']*'|\S*))?/g) ?? []).map((word) => {
    const eq = word.indexOf('=');
    return eq === -1 ? [word, undefined] : [word.slice(0, eq), unquote(word.slice(eq + 1))];
  });
}

function unquote(value: string): string {
  return /^(["']).*\1$/.test(value) ? value.slice(1, -1) : value;
}

/** `$A`, `${A}`, `${A:-default}`, `${A:+alt}` from what the Dockerfile declared; unknown ones become empty. */
function expand(value: string, vars: Map<string, string>): string {
  return value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced, op, word, plain) => {
    const name = (braced ?? plain) as string;
    const current = vars.get(name);
    if (op === '-') return current ? current : (word as string);
    if (op === '+') return current ? (word as string) : '';
    return current ?? '';
  });
}
