import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '@berth/client/api-client';
import type { AuditEntry } from '@berth/client/types';
import { NotAllowedPage } from '../not-allowed.tsx';
import { useAudit } from '../queries.ts';
import { ErrorBox } from '../status-badge.tsx';

interface Filters {
  project: string;
  actor: string;
  action: string;
}

const pageSize = 50;

/**
 * The audit log, newest first: owners see every row, project admins their projects' rows. Filters by
 * project, actor (an id: a row's actor button sets it) and action (`member.*` for a kind); older pages by `before`.
 */
export function AuditPage({ client, project }: { client: ApiClient; project: string | undefined }) {
  const [filters, setFilters] = useState<Filters>({ project: project ?? '', actor: '', action: '' });
  // The `before` of every page shown so far: the last is this page's, popping goes back to newer rows.
  const [pages, setPages] = useState<number[]>([]);
  const before = pages.at(-1);
  const { data, error } = useAudit(client, { ...trimmed(filters), before, limit: pageSize });
  const refused = error instanceof ApiError && error.status === 403 ? error.message : undefined;
  const apply = (next: Filters) => (setFilters(next), setPages([]));

  return (
    <section>
      <h1>Audit log</h1>
      {/* Keyed by the filters applied: one set from a row (its actor) shows in the form too. */}
      <FilterForm key={JSON.stringify(filters)} filters={filters} onApply={apply} />
      {refused ? <NotAllowedPage reason={refused} /> : <ErrorBox error={error} />}
      {data && data.items.length === 0 && <p class="muted">No rows{before ? ' older than these' : ''}.</p>}
      {data && data.items.length > 0 && (
        <div class="scroll">
          <table class="grid" aria-label="Audit rows">
            <thead>
              <tr><th>Time</th><th>Actor</th><th>Action</th><th>Target</th><th>Result</th><th>Address</th></tr>
            </thead>
            <tbody>
              {data.items.map((r) => (
                <AuditRow key={r.id} row={r} onActor={(actor) => apply({ ...filters, actor })} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <div class="actions">
        {pages.length > 0 && <button type="button" class="quiet" onClick={() => setPages((p) => p.slice(0, -1))}>← Newer</button>}
        {data?.nextBefore != null && <button type="button" class="quiet" onClick={() => setPages((p) => [...p, data.nextBefore!])}>Older →</button>}
      </div>
    </section>
  );
}

function trimmed(filters: Filters) {
  const value = (s: string) => s.trim() || undefined;
  return { project: value(filters.project), actor: value(filters.actor), action: value(filters.action) };
}

function FilterForm({ filters, onApply }: { filters: Filters; onApply: (filters: Filters) => void }) {
  const [draft, setDraft] = useState(filters);
  const field = (key: keyof Filters) => ({ value: draft[key], onInput: (e: Event) => setDraft({ ...draft, [key]: (e.currentTarget as HTMLInputElement).value }) });
  return (
    <form class="inline filters-form" onSubmit={(e) => (e.preventDefault(), onApply(draft))}>
      <label>Project <input {...field('project')} placeholder="all" size={14} /></label>
      <label>Actor id <input {...field('actor')} placeholder="all" size={18} /></label>
      <label>Action <input {...field('action')} placeholder="all (or member.*)" size={16} /></label>
      <button type="submit">Filter</button>
    </form>
  );
}

function AuditRow({ row: r, onActor }: { row: AuditEntry; onActor: (actorId: string) => void }) {
  const actor = r.actorName ?? r.actorId;
  const target = [r.project && `project ${r.project}`, r.targetKind && `${r.targetKind} ${r.targetId ?? ''}`.trim()].filter(Boolean).join(' · ');
  return (
    <tr>
      <td class="nowrap"><time dateTime={r.at}>{new Date(r.at).toLocaleString()}</time></td>
      <td>
        {r.actorId ? (
          <button type="button" class="link" title={`Only rows of ${r.actorId}`} onClick={() => onActor(r.actorId!)}>{actor}</button>
        ) : (
          actor
        )}
        <span class="muted small">{actor ? ` (${r.actorKind})` : r.actorKind}</span>
      </td>
      <td><code>{r.action}</code></td>
      <td>{target || '—'}</td>
      <td><span class={`badge r-${r.result}`}>{r.result}</span></td>
      <td class="muted small">{r.clientAddress ?? ''}</td>
    </tr>
  );
}
