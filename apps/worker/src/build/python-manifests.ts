import { BerthError } from '@berth/shared/errors';

/** What Python detection reads of requirements.txt and pyproject.toml: dependency names, and files an install needs. */

/** The normalised names (PEP 503: lower case, runs of `-_.` as `-`) of requirement lines; options and comments skipped. */
export function requirementNames(lines: readonly string[]): string[] {
  const names: string[] = [];
  for (const raw of lines) {
    const line = raw.replace(/(^|\s)#.*/, '').trim();
    const name = /^[A-Za-z0-9][A-Za-z0-9._-]*/.exec(line)?.[0];
    if (name && !line.startsWith('-')) names.push(name.toLowerCase().replace(/[-_.]+/g, '-'));
  }
  return names;
}

/**
 * Files requirements.txt pulls in (`-r base.txt`, `-c constraints.txt`): they
 * join the install's layer. Each must be a plain relative path inside rootDir.
 */
export function requirementsIncludes(text: string): string[] {
  const out = new Set<string>();
  for (const raw of text.split('\n')) {
    const m = /^\s*(?:-r|-c|--requirement|--constraint)(?:\s+|=)(\S+)/.exec(raw);
    if (!m) continue;
    const rel = m[1]!.replace(/^\.\//, '');
    if (!/^[A-Za-z0-9._@+-]+(\/[A-Za-z0-9._@+-]+)*$/.test(rel) || rel.split('/').some((p) => p === '..' || p === '.')) {
      throw new BerthError('INVALID_BUILD_CONFIG', `requirements.txt includes "${m[1]}": it must be a plain relative path inside rootDir (it is copied into the build)`);
    }
    out.add(rel);
  }
  return [...out].sort();
}

/**
 * The `dependencies` array of pyproject.toml's [project] table (PEP 621), its
 * strings as written. Just enough TOML for that array: quoted strings,
 * commas, comments; INVALID_BUILD_CONFIG when it is not an array of strings.
 */
export function pyprojectDependencies(text: string): string[] {
  const section = /^\[project\][ \t]*$([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(text)?.[1];
  const start = section === undefined ? -1 : section.search(/^dependencies\s*=\s*\[/m);
  if (section === undefined || start < 0) return [];
  const bad = () => new BerthError('INVALID_BUILD_CONFIG', "pyproject.toml: [project] dependencies must be an array of strings");
  const out: string[] = [];
  let i = section.indexOf('[', start) + 1;
  for (;;) {
    const c = section[i];
    if (c === undefined) throw bad();
    if (c === ']') return out;
    if (/[\s,]/.test(c)) i++;
    else if (c === '#') i = section.indexOf('\n', i) < 0 ? section.length : section.indexOf('\n', i);
    else if (c === '"' || c === "'") {
      const end = section.indexOf(c, i + 1);
      if (end < 0) throw bad();
      out.push(section.slice(i + 1, end));
      i = end + 1;
    } else throw bad();
  }
}
