import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach } from 'vitest';
import { createLogger } from '@berth/shared/logger';
import { ProcessSupervisor, type ProcessSpec } from '@berth/supervisor/process-supervisor';

/** The supervisor a test made (stopped after each test, with everything it started). */
let supervisor: ProcessSupervisor | undefined;
afterEach(async () => {
  await supervisor?.stopAll();
  supervisor = undefined;
});

/** A supervisor logging into a fresh directory, its log lines collected, and views of its processes. */
export function setup(options: { maxCrashes?: number; stopGraceMs?: number; stableAfterMs?: number } = {}) {
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'berth-supervisor-'));
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger('supervisor', 'info', { write: (l: string) => void lines.push(JSON.parse(l)) });
  supervisor = new ProcessSupervisor({
    logDir,
    log: { maxBytes: 1024 * 1024, files: 2 },
    restart: { initialDelayMs: 100, maxDelayMs: 2000, stableAfterMs: options.stableAfterMs ?? 10_000, maxCrashes: options.maxCrashes ?? 5 },
    stopGraceMs: options.stopGraceMs ?? 5000,
    logger,
    onChange: () => {},
  });
  const logOf = (name: string) => fs.readFileSync(path.join(logDir, `${name}.log`), 'utf8');
  const status = (name: string) => supervisor!.list().find((p) => p.name === name)!;
  return { supervisor, lines, logOf, status };
}

/** A one-line node program as a supervised process. */
export const nodeScript = (name: string, script: string): ProcessSpec => ({
  name,
  group: name,
  command: process.execPath,
  args: ['-e', script],
  env: { PATH: process.env.PATH },
});
