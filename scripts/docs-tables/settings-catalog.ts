import { z } from '@berth/shared/config';
import { apiEnv } from '../../apps/api/src/config.ts';
import { cliEnv } from '../../apps/cli/src/config.ts';
import { secretsCommandEnv } from '../../apps/cli/src/commands/secrets.ts';
import { routerSyncEnv } from '../../apps/router-sync/src/config.ts';
import { controlEnv, installServiceEnv, statusEnv, supervisorEnv } from '../../apps/supervisor/src/config.ts';
import { workerEnv } from '../../apps/worker/src/config.ts';

/** Every program that parses its environment, with the schema it parses it with: the settings catalog. */
export const programSchemas: readonly { program: string; schema: z.ZodObject }[] = [
  { program: 'api', schema: apiEnv },
  { program: 'worker', schema: workerEnv },
  { program: 'router-sync', schema: routerSyncEnv },
  { program: 'supervisor', schema: supervisorEnv },
  { program: 'status', schema: statusEnv },
  { program: 'scale, restart', schema: controlEnv },
  { program: 'install-service', schema: installServiceEnv },
  { program: 'cli', schema: cliEnv },
  { program: 'secrets rotate-key', schema: secretsCommandEnv },
];

export interface SettingRow {
  readonly name: string;
  readonly programs: string[];
  /** Markdown: the schema's default, the one the program works out, `(required)` or `(none)`. */
  readonly default: string;
  /** Undefined when the schema gives none (the catalog test fails then). */
  readonly description: string | undefined;
}

/** One row per variable and meaning: a variable parsed alike by several programs is one row naming them all. */
export function settingRows(): SettingRow[] {
  const rows = new Map<string, SettingRow>();
  for (const { program, schema } of programSchemas) {
    for (const [name, field] of Object.entries(schema.shape)) {
      const doc = documentation(field as z.ZodType);
      const row = { name, programs: [program], default: formatDefault(name, field as z.ZodType, doc.derivedDefault), description: doc.description };
      const key = `${row.name}\0${row.default}\0${row.description}`;
      const seen = rows.get(key);
      if (seen) seen.programs.push(program);
      else rows.set(key, row);
    }
  }
  return [...rows.values()];
}

interface Documentation {
  description?: string;
  derivedDefault?: string;
}

/** The description (and derived default) on the field, or on what it wraps (`.default()`, `.optional()`, a transform). */
function documentation(field: z.ZodType): Documentation {
  for (let s: z.ZodType | undefined = field; s; s = inner(s)) {
    const meta = z.globalRegistry.get(s) as Documentation | undefined;
    if (meta?.description) return meta;
  }
  return {};
}

function inner(s: z.ZodType): z.ZodType | undefined {
  const def = s.def as { innerType?: z.ZodType; in?: z.ZodType };
  return def.innerType ?? def.in;
}

/** The schema's own default, else how the field is optional or required. */
function formatDefault(name: string, field: z.ZodType, derived: string | undefined): string {
  let optional = false;
  for (let s: z.ZodType | undefined = field; s; s = inner(s)) {
    if (s.def.type === 'default') return withUnit(name, (s.def as unknown as { defaultValue: unknown }).defaultValue);
    if (s.def.type === 'optional') optional = true;
  }
  if (derived !== undefined) return derived;
  return optional ? '(none)' : '(required)';
}

/** `104857600` (100 MiB), `120000` (2 min): the value as set, and what it amounts to. */
function withUnit(name: string, value: unknown): string {
  const text = `\`${String(value)}\``;
  if (typeof value !== 'number') return text;
  const mib = 1024 * 1024;
  if (name.endsWith('_BYTES') && value >= mib && value % mib === 0) return `${text} (${value / mib} MiB)`;
  if (name.endsWith('_MS') && value >= 60_000 && value % 60_000 === 0) return `${text} (${value / 60_000} min)`;
  if (name.endsWith('_MS') && value >= 1000 && value % 1000 === 0) return `${text} (${value / 1000} s)`;
  return text;
}
