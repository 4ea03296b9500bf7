import { useState } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import type { LogSearchPage, ProjectAccess } from '@berth/client/types';
import { plainText } from './ansi.ts';
import { allows, NotAllowed } from './not-allowed.tsx';
import { ErrorBox } from './status-badge.tsx';

type FoundLine = LogSearchPage['items'][number];

/** Search every stored line of the project's deployments (GET /api/projects/:name/logs), newest first, a page at a time. */
export function LogSearchPanel({ client, name, access }: { client: ApiClient; name: string; access: ProjectAccess | undefined }) {
  const [q, setQ] = useState('');
  const [regex, setRegex] = useState(false);
  const [found, setFound] = useState<FoundLine[] | undefined>();
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  if (!allows(access, 'project.logs.read')) return <NotAllowed access={access} doing="searching the logs" needs="viewer" />;

  const fetchPage = (before: string | undefined, kept: FoundLine[]) => {
    setBusy(true);
    client
      .searchProjectLogs(name, { q, regex, limit: 100, before })
      .then((page) => (setFound([...kept, ...page.items]), setNext(page.next), setError(undefined)), setError)
      .finally(() => setBusy(false));
  };
  const submit = (e: Event) => {
    e.preventDefault();
    fetchPage(undefined, []);
  };
  return (
    <>
      <h2>Search logs</h2>
      <form class="inline" role="search" aria-label="Search logs" onSubmit={submit}>
        <label>Text <input value={q} onInput={(e) => setQ(e.currentTarget.value)} required maxLength={200} size={28} /></label>
        <label class="check"><input type="checkbox" checked={regex} onChange={(e) => setRegex(e.currentTarget.checked)} /> Regular expression</label>
        <button type="submit" disabled={busy}>Search</button>
      </form>
      <ErrorBox error={error} />
      {found && found.length === 0 && <p class="muted">No line matches.</p>}
      {found && found.length > 0 && (
        <ol class="plain found-lines" aria-label="Matching log lines">
          {found.map((l) => (
            <li key={`${l.deploymentId}-${l.seq}`} class={`found-line ${l.stream}`}>
              <span class="muted small">
                <a href={`#/deployments/${l.deploymentId}`}>{l.deploymentId}</a> · <time dateTime={l.ts}>{new Date(l.ts).toLocaleString()}</time> · {l.stream}
              </span>
              <code>{plainText(l.line)}</code>
            </li>
          ))}
        </ol>
      )}
      {next && <button type="button" class="quiet" disabled={busy} onClick={() => fetchPage(next, found ?? [])}>Older matches</button>}
    </>
  );
}
