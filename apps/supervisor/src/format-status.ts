import type { PlatformStatus } from './platform-status.ts';

/** What is down: empty when everything `status` looked at is up. */
export function problems(status: PlatformStatus): string[] {
  const out: string[] = [];
  if (!status.supervisor) out.push('Berth is not running (no supervisor state; start it with npm run up)');
  else if (!status.supervisor.alive) out.push(`the supervisor (pid ${status.supervisor.pid}) is not running`);
  for (const p of status.processes) if (p.state !== 'running') out.push(`${p.name} is ${p.state}`);
  for (const [name, check] of Object.entries(status.services)) if (!check.ok) out.push(`${name} is unreachable: ${check.error}`);
  return out;
}

const duration = (ms: number) =>
  ms < 60_000 ? `${Math.round(ms / 1000)}s` : ms < 3_600_000 ? `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s` : `${Math.floor(ms / 3_600_000)}h${Math.floor((ms % 3_600_000) / 60_000)}m`;

/** The human-readable report (`npm run status`); `--json` prints the status itself instead. */
export function formatStatus(status: PlatformStatus, now = Date.now()): string {
  const lines: string[] = [];
  const table = (rows: string[][]) => {
    const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
    for (const r of rows) lines.push(`  ${r.map((c, i) => c.padEnd(widths[i]!)).join('  ')}`.trimEnd());
  };
  const sup = status.supervisor;
  lines.push(sup ? `supervisor  pid ${sup.pid}  ${sup.alive ? `up ${duration(now - Date.parse(sup.startedAt))}` : 'NOT RUNNING'}` : 'supervisor  not running');
  if (status.processes.length > 0) {
    lines.push('processes');
    table([
      ['NAME', 'STATE', 'PID', 'UPTIME', 'RESTARTS', 'LAST EXIT'],
      ...status.processes.map((p) => [
        p.name,
        p.state,
        p.pid === null ? '-' : String(p.pid),
        p.state === 'running' && p.startedAt ? duration(now - Date.parse(p.startedAt)) : '-',
        String(p.restarts),
        p.lastExit ? (p.lastExit.signal ?? `code ${p.lastExit.code}`) : '-',
      ]),
    ]);
  }
  lines.push('services');
  table(Object.entries(status.services).map(([name, c]) => [name, c.ok ? 'ok' : `DOWN (${c.error})`]));
  const q = status.queue;
  lines.push(
    q
      ? `queue       ${q.waiting} waiting${q.oldestWaitMs === null ? '' : ` (oldest ${duration(q.oldestWaitMs)})`}, ${q.active} active, ${q.delayed} delayed`
      : 'queue       unknown (Redis unreachable)',
  );
  if (status.workers) {
    lines.push(`workers     ${status.workers.length}`);
    for (const w of status.workers) {
      lines.push(`  ${w.id}  ${w.host}  pid ${w.pid}  concurrency ${w.concurrency}  running ${w.running.length}  heartbeat ${duration(now - Date.parse(w.lastHeartbeat))} ago`);
    }
  }
  if (status.apps) {
    lines.push(`apps        ${status.apps.length} running`);
    for (const a of status.apps) lines.push(`  ${a.id}  ${a.project ?? '-'}  since ${a.since}`);
  }
  const down = problems(status);
  lines.push(down.length === 0 ? 'all good' : `problems:\n${down.map((d) => `  - ${d}`).join('\n')}`);
  return lines.join('\n');
}
