/**
 * Which offered Node major a project asks for: `engines.node` ranges,
 * `.nvmrc` / `.node-version` contents (`20`, `v20.11.1`, `lts/*`, `lts/iron`,
 * `node`). Pure; a version range is matched against the exact versions Berth
 * offers (node-runtimes.json), the newest match wins; an exact version picks
 * its major (one version is offered per major).
 *
 * Our own small matcher rather than the `semver` package: only the range
 * grammar npm documents is needed (`||`, hyphen ranges, comparators, `^`, `~`,
 * x-ranges), prereleases never match, and the worker gets no new dependency.
 */

/** LTS codenames nvm accepts (`lts/iron`), oldest first. */
const ltsCodenames: Record<string, number> = {
  argon: 4,
  boron: 6,
  carbon: 8,
  dubnium: 10,
  erbium: 12,
  fermium: 14,
  gallium: 16,
  hydrogen: 18,
  iron: 20,
  jod: 22,
  krypton: 24,
};

export type Offered = Readonly<Record<string, string>>; // major → exact version ("24" → "24.21.0")

/**
 * The newest offered major that `spec` accepts, or undefined. `spec` is a
 * range (`>=20 <23`, `^22.1`, `20.x`) or an nvm alias (`lts/*`, `lts/jod`,
 * `node`, `latest`, `stable`); a `v` prefix is fine.
 */
export function resolveNodeMajor(spec: string, offered: Offered): string | undefined {
  const s = spec.trim().toLowerCase();
  const majors = Object.keys(offered)
    .map(Number)
    .sort((a, b) => b - a);
  if (s === 'node' || s === 'latest' || s === 'current' || s === 'stable') return majors[0]?.toString();
  if (s.startsWith('lts/') || s === 'lts') {
    const name = s === 'lts' ? '*' : s.slice(4);
    // Every even major is an LTS line once it is offered here (node-runtimes.json lists released ones).
    if (name === '*') return majors.find((m) => m % 2 === 0)?.toString();
    const major = ltsCodenames[name];
    return major !== undefined && offered[String(major)] ? String(major) : undefined;
  }
  // An exact version (.nvmrc's usual `v20.11.1`) means its major: Berth offers one version per major.
  const exact = /^v?(\d+)\.\d+\.\d+$/.exec(s);
  if (exact) return offered[exact[1]!] ? exact[1] : undefined;
  const version = (m: number) => parseVersion(offered[String(m)]!)!;
  return majors.find((m) => satisfies(version(m), s))?.toString();
}

type Version = [number, number, number];

function parseVersion(v: string): Version | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)$/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/** A partial version: `20`, `20.1`, `20.x`, `*` (undefined parts are wildcards). */
interface Partial {
  parts: (number | undefined)[];
}

function parsePartial(word: string): Partial | undefined {
  const w = word.replace(/^v/, '').replace(/^=/, '');
  if (w === '' || w === '*' || w === 'x') return { parts: [] };
  const pieces = w.split('.');
  if (pieces.length > 3) return undefined;
  const parts: (number | undefined)[] = [];
  for (const p of pieces) {
    // Build metadata and prereleases on the last part (20.0.0-rc.1) are not offered: read as the version.
    const n = /^(\d+)(?:[-+].*)?$/.exec(p);
    if (n) parts.push(Number(n[1]));
    else if (p === 'x' || p === '*') break;
    else return undefined;
  }
  return { parts };
}

/** The lowest version a partial stands for, and the first version above it. */
function bounds(p: Partial): { low: Version; high: Version | undefined } {
  const [a, b, c] = p.parts;
  if (a === undefined) return { low: [0, 0, 0], high: undefined };
  if (b === undefined) return { low: [a, 0, 0], high: [a + 1, 0, 0] };
  if (c === undefined) return { low: [a, b, 0], high: [a, b + 1, 0] };
  return { low: [a, b, c], high: [a, b, c + 1] };
}

type Test = (v: Version) => boolean;

function comparator(word: string): Test | undefined {
  const m = /^(<=|>=|<|>|=|\^|~>?)?\s*(.*)$/.exec(word)!;
  const op = m[1] ?? '';
  const p = parsePartial(m[2]!);
  if (!p) return undefined;
  const { low, high } = bounds(p);
  const [a, b] = p.parts;
  switch (op) {
    case '':
    case '=':
      return (v) => compare(v, low) >= 0 && (high === undefined || compare(v, high) < 0);
    case '>=':
      return (v) => compare(v, low) >= 0;
    case '>':
      return (v) => (high === undefined ? false : compare(v, high) >= 0);
    case '<':
      return (v) => compare(v, low) < 0;
    case '<=':
      return (v) => high === undefined || compare(v, high) < 0;
    case '~':
    case '~>': {
      const top: Version | undefined = a === undefined ? undefined : b === undefined ? [a + 1, 0, 0] : [a, b + 1, 0];
      return (v) => compare(v, low) >= 0 && (top === undefined || compare(v, top) < 0);
    }
    case '^': {
      // The first non-zero part is fixed (^0.2 allows 0.2.x only).
      let top: Version | undefined;
      if (a === undefined) top = undefined;
      else if (a > 0 || b === undefined) top = [a + 1, 0, 0];
      else if (b > 0 || p.parts[2] === undefined) top = [0, b + 1, 0];
      else top = [0, 0, p.parts[2]! + 1];
      return (v) => compare(v, low) >= 0 && (top === undefined || compare(v, top) < 0);
    }
    default:
      return undefined;
  }
}

/** Whether `v` satisfies an npm range; a range this cannot read satisfies nothing. */
export function satisfies(v: Version, range: string): boolean {
  return range.split('||').some((alternative) => {
    const set = alternative.trim();
    const hyphen = /^(\S+)\s+-\s+(\S+)$/.exec(set);
    if (hyphen) {
      const from = parsePartial(hyphen[1]!);
      const to = parsePartial(hyphen[2]!);
      if (!from || !to) return false;
      const high = bounds(to).high;
      return compare(v, bounds(from).low) >= 0 && (high === undefined || compare(v, high) < 0);
    }
    // `>= 20` is one comparator: glue operators to their version first.
    const words = set.replace(/(<=|>=|<|>|=|\^|~>?)\s+/g, '$1').split(/\s+/).filter(Boolean);
    if (words.length === 0) return true; // "" means any version
    return words.every((w) => comparator(w)?.(v) ?? false);
  });
}
