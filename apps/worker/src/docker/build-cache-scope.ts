import { createHash } from 'node:crypto';

/**
 * The layer cache, scoped per project. Docker 20.10's legacy builder finds a
 * step in its cache by (parent image, instruction): two projects building the
 * same Dockerfile would share every layer, and "Using cache" on a step would
 * tell one tenant that another built it. A `LABEL` right after each `FROM`
 * (a metadata step, keyed on the project) gives each project's steps a parent
 * of its own, so the chains split there: another project's build finds
 * nothing, the project's own rebuild finds all of it. The tenant cannot put
 * anything before it (it follows the `FROM` at once), so naming another
 * project's scope later in the file does not join that project's chain.
 *
 * What the app sees: nothing at run time; the image carries one more label,
 * `berth.build-scope` (a hash of the project, not its name).
 * Not covered: `ONBUILD` triggers of a base image run as part of its `FROM`,
 * before this label (the Dockerfile policy decides which bases are allowed).
 */
export const buildScopeLabel = 'berth.build-scope';

/** The label's value: a hash, so the Dockerfile line needs no quoting whatever the project is called. */
export function buildScopeValue(scope: string): string {
  return createHash('sha256').update(`berth-build-scope\0${scope}`).digest('hex').slice(0, 32);
}

/** Parser directives (`# escape=`), which only the first lines of a Dockerfile may hold. */
const directive = /^#\s*([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.*?)\s*$/;

/**
 * The Dockerfile with the scope label after each `FROM` instruction. Read as
 * the legacy builder reads it: parser directives first (a backtick escape
 * changes the continuation character), comment and empty lines inside a
 * continued instruction belong to no instruction, an instruction ends at the
 * first line that does not end with the escape character. A `FROM` left
 * unfinished at the end of the file has no step after it to scope.
 */
export function scopeDockerfile(text: string, scope: string): string {
  const label = `LABEL ${buildScopeLabel}=${buildScopeValue(scope)}`;
  const lines = text.split('\n');
  const escape = escapeCharacter(lines);
  const continued = new RegExp(`${escape === '`' ? '`' : '\\\\'}[ \\t\\r]*$`);
  const out: string[] = [];
  let inInstruction = false;
  let isFrom = false;
  for (const line of lines) {
    out.push(line);
    const bare = line.replace(/^\uFEFF/, '').trimStart();
    if (bare === '' || bare === '\r' || bare.startsWith('#')) continue;
    if (!inInstruction) isFrom = /^from(\s|$)/i.test(bare);
    inInstruction = continued.test(line);
    if (!inInstruction && isFrom) out.push(label);
  }
  return out.join('\n');
}

/** The escape character the directives name (`\` unless `# escape=\``). */
function escapeCharacter(lines: readonly string[]): string {
  for (const line of lines) {
    const match = directive.exec(line.replace(/^\uFEFF/, '').trim());
    if (!match) break;
    if (match[1]!.toLowerCase() === 'escape') return match[2] === '`' ? '`' : '\\';
  }
  return '\\';
}
