import { BerthError } from '@berth/shared/errors';
import { declarations, expand, instructions, splitArgs, splitInstruction, unquoted, type Instruction } from './dockerfile-parse.ts';

/**
 * What a Dockerfile may not do here, checked on its text before the daemon sees it
 * (base-image-policy.ts then checks what the images it names really are).
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
 * FROM is read as the daemon will read it: its variables are expanded with the
 * build args Berth really passes (the project's buildEnv) over the defaults of
 * the ARGs declared before the first FROM, so `ARG BASE=alpine` + `FROM $BASE`
 * with `buildEnv: {BASE: …}` is checked as what BASE will be; a FROM that
 * expands to nothing, or uses a form of expansion we do not follow, is refused.
 * A variable in `COPY --from=` is refused rather than guessed at.
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

/** An image (not a stage of the same Dockerfile) the build will read, as the daemon will name it. */
export interface ImageSource {
  line: number;
  /** How the Dockerfile spells it, e.g. `FROM ${BASE}`. */
  written: string;
  /** The reference after expansion, e.g. `alpine:3`. */
  ref: string;
  /** FROM runs the image's ONBUILD triggers; COPY --from only reads its files. */
  kind: 'FROM' | 'COPY --from';
}

export type BuildArgs = Readonly<Record<string, string>>;

export function checkDockerfile(text: string, buildArgs: BuildArgs = {}): DockerfileViolation[] {
  return readDockerfile(text, buildArgs).violations;
}

/** The images FROM and COPY --from will read, with the build args expanded (stages and `scratch` left out). */
export function imageSources(text: string, buildArgs: BuildArgs = {}): ImageSource[] {
  return readDockerfile(text, buildArgs).sources;
}

/** A base image's ONBUILD triggers, checked like Dockerfile lines (line = the trigger's 1-based position). */
export function checkTriggers(triggers: readonly string[]): { violations: DockerfileViolation[]; sources: ImageSource[] } {
  const list = triggers.flatMap((t, i) => splitInstruction(t, i + 1) ?? []);
  return walk(list, {}, true);
}

/** Throws UNSAFE_DOCKERFILE naming the first offending line. */
export function assertSafeDockerfile(text: string, buildArgs: BuildArgs = {}): void {
  throwIfAny(checkDockerfile(text, buildArgs), (v) => `Dockerfile line ${v.line}: ${v.message}`);
}

/** UNSAFE_DOCKERFILE with the first violation, and how many more there are. */
export function throwIfAny(violations: DockerfileViolation[], describe: (v: DockerfileViolation) => string): void {
  const [first, ...more] = violations;
  if (!first) return;
  throw new BerthError('UNSAFE_DOCKERFILE', `${describe(first)}${more.length ? ` (and ${more.length} more)` : ''}`);
}

function readDockerfile(text: string, buildArgs: BuildArgs): { violations: DockerfileViolation[]; sources: ImageSource[] } {
  const seen = new Set<string>();
  const violations: DockerfileViolation[] = [];
  const sources: ImageSource[] = [];
  for (const escape of ['\\', '`'] as const) {
    const read = walk(instructions(text, escape), buildArgs, false);
    for (const v of read.violations) if (once(seen, `v${v.line}\n${v.message}`)) violations.push(v);
    for (const s of read.sources) if (once(seen, `s${s.line}\n${s.kind}\n${s.ref}`)) sources.push(s);
  }
  return { violations: violations.sort((a, b) => a.line - b.line), sources };
}

function once(seen: Set<string>, key: string): boolean {
  if (seen.has(key)) return false;
  seen.add(key);
  return true;
}

/**
 * Walks the instructions once: what is refused, and which images are read. `triggers`: the list is
 * a base image's ONBUILD triggers. Over 60 lines: one switch whose cases share the walk's state
 * (stages seen, the ARGs FROM sees); split up, that state would be threaded through each part.
 */
function walk(list: Instruction[], buildArgs: BuildArgs, triggers: boolean) {
  const violations: DockerfileViolation[] = [];
  const sources: ImageSource[] = [];
  /** What FROM lines see: build args, over the ARGs declared before the first FROM. */
  const fromVars = new Map<string, string>(Object.entries(buildArgs));
  let seenFrom = false;
  const stages = new Set<string>();
  const refuse = (line: number, message: string) => violations.push({ line, message });
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
          // A build arg wins over the default; the daemon passes it only to a declared ARG.
          if (Object.hasOwn(buildArgs, k)) fromVars.set(k, buildArgs[k]!);
          else if (v !== undefined) fromVars.set(k, expand(v, fromVars));
        }
        return;
      case 'FROM': {
        if (!onbuild) seenFrom = true;
        const { args } = splitArgs(ins.rest);
        const written = args[0] ?? '';
        const image = expand(unquoted(written), fromVars);
        const shown = image === unquoted(written) ? `FROM ${written}` : `FROM ${written} (${image || 'empty'})`;
        // An earlier stage of this Dockerfile is not a local image (and may look like an id: `FROM abc`).
        if (!stages.has(image.toLowerCase())) {
          const problem = unresolvedProblem(image) ?? appImageProblem(image);
          if (problem) refuse(ins.line, `${where}${shown}: ${problem}`);
          else if (!onbuild && image.toLowerCase() !== 'scratch') sources.push({ line: ins.line, written: shown, ref: image, kind: 'FROM' });
        }
        if (args[1]?.toLowerCase() === 'as' && args[2]) stages.add(args[2].toLowerCase());
        return;
      }
      case 'COPY': {
        for (const flag of splitArgs(ins.rest).flags) {
          const m = /^--from=(.*)$/i.exec(flag);
          if (!m) continue;
          const source = unquoted(m[1]!);
          if (stages.has(source.toLowerCase()) || /^\d+$/.test(source)) continue;
          const problem = appImageProblem(source);
          if (problem) refuse(ins.line, `${where}COPY --from=${m[1]}: ${problem}`);
          else if (!onbuild || triggers) sources.push({ line: ins.line, written: `${where}COPY --from=${m[1]}`, ref: source, kind: 'COPY --from' });
        }
        return;
      }
      case 'ADD': {
        const { args } = splitArgs(ins.rest);
        for (const source of args.slice(0, -1)) {
          const problem = remoteSourceProblem(source);
          if (problem) refuse(ins.line, `${where}ADD ${source}: ${problem}`);
        }
        return;
      }
      default:
        return;
    }
  };
  for (const ins of list) visit(ins, triggers);
  return { violations, sources };
}

/** Why an expanded FROM names no image we can check, or undefined when it names one. */
function unresolvedProblem(image: string): string | undefined {
  if (image.includes('$')) return 'the image name uses a form of variable that is not allowed here (use $X, ${X}, ${X:-default} or ${X:+alt})';
  if (image === '') return 'the image name is empty once its variables are expanded (give the ARG a default or set it in the build env)';
  return undefined;
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

/** Why `ref` may not be used as a base or COPY source by its name alone, or undefined when it may. */
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
