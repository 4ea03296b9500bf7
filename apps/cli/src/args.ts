import { CliError } from './berth-api.ts';

export interface Args {
  positional: string[];
  flags: Map<string, string[]>;
  /** The last value of a flag. */
  one(name: string): string | undefined;
  has(name: string): boolean;
}

/**
 * `--name value` (or `--name=value`) flags, repeatable; the `booleans` take no value.
 * A flag not in `known` is refused, so a typo does not pass silently.
 */
export function parseArgs(args: string[], spec: { booleans?: string[]; values?: string[]; usage: string }): Args {
  const booleans = new Set(spec.booleans ?? []);
  const values = new Set(spec.values ?? []);
  const positional: string[] = [];
  const flags = new Map<string, string[]>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      let value: string | undefined;
      if (booleans.has(name)) {
        if (eq !== -1) throw new CliError(`--${name} takes no value\n${spec.usage}`);
        value = 'true';
      } else if (values.has(name)) {
        value = eq === -1 ? args[++i] : a.slice(eq + 1);
        if (value === undefined) throw new CliError(`--${name} needs a value\n${spec.usage}`);
      } else {
        throw new CliError(`unknown option --${name}\n${spec.usage}`);
      }
      flags.set(name, [...(flags.get(name) ?? []), value]);
    } else positional.push(a);
  }
  return {
    positional,
    flags,
    one: (name) => flags.get(name)?.at(-1),
    has: (name) => flags.has(name),
  };
}

/** KEY=VALUE pairs (the value may hold `=`, or be empty). */
export function parseEnvPairs(pairs: string[], what = '--env'): Record<string, string> {
  return Object.fromEntries(
    pairs.map((kv) => {
      const eq = kv.indexOf('=');
      if (eq < 1) throw new CliError(`${what} expects KEY=VALUE, got "${kv}"`);
      return [kv.slice(0, eq), kv.slice(eq + 1)];
    }),
  );
}

/** A port number, 1-65535. */
export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new CliError(`--port expects a number from 1 to 65535, got "${value}"`);
  return n;
}
