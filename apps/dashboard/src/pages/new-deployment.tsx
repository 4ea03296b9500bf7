import { useState } from 'preact/hooks';
import type { ApiClient } from '@berth/client/api-client';
import type { Deployment } from '@berth/client/types';
import { ErrorBox } from '../status-badge.tsx';

type Source = 'archive' | 'git';

/** An archive (drop or pick) or a git URL, with optional name, port and env. */
export function NewDeployment({ client }: { client: ApiClient }) {
  const [source, setSource] = useState<Source>('archive');
  const [file, setFile] = useState<File | undefined>();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    setBusy(true);
    setError(undefined);
    try {
      const created = await createDeployment(client, source, form, file);
      location.hash = `#/deployments/${created.id}`;
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>New deployment</h1>
      <form class="stack" onSubmit={submit}>
        <fieldset>
          <legend>Source</legend>
          <label><input type="radio" name="source" checked={source === 'archive'} onChange={() => setSource('archive')} /> Archive</label>
          <label><input type="radio" name="source" checked={source === 'git'} onChange={() => setSource('git')} /> Git repository</label>
        </fieldset>
        {source === 'archive' ? (
          <ArchivePicker file={file} onFile={setFile} />
        ) : (
          <>
            <label for="gitUrl">Git URL</label>
            <input id="gitUrl" name="gitUrl" type="url" required placeholder="https://example.com/repo.git" />
            <label for="ref">Ref</label>
            <input id="ref" name="ref" placeholder="main" />
          </>
        )}
        <label for="rootDir">Root directory</label>
        <input id="rootDir" name="rootDir" placeholder="." />
        <label for="name">Name</label>
        <input id="name" name="name" placeholder="guessed from the source" />
        <label for="port">Port</label>
        <input id="port" name="port" type="number" min={1} max={65535} placeholder="3000" />
        <label for="env">Environment (one NAME=value a line; values are never shown back)</label>
        <textarea id="env" name="env" rows={3} autocomplete="off" spellcheck={false} />
        <button type="submit" disabled={busy}>{busy ? 'Deploying…' : 'Deploy'}</button>
        <ErrorBox error={error} />
      </form>
    </section>
  );
}

/** The form's fields as a deployment: a git source as JSON, an archive as multipart. */
function createDeployment(client: ApiClient, source: Source, form: FormData, file: File | undefined): Promise<Deployment> {
  const env = parseEnv(String(form.get('env') ?? ''));
  const field = (name: string) => String(form.get(name) ?? '').trim() || undefined;
  const port = field('port') ? Number(field('port')) : undefined;
  if (source === 'git') {
    return client.createDeployment({ gitUrl: field('gitUrl') ?? '', ref: field('ref'), rootDir: field('rootDir'), name: field('name'), port, env });
  }
  if (!file) throw new Error('choose a .zip or .tar.gz archive');
  const body = new FormData();
  for (const name of ['name', 'rootDir', 'port']) if (field(name)) body.set(name, field(name)!);
  if (env) body.set('env', JSON.stringify(env));
  body.set('projectArchive', file, file.name);
  return client.createDeployment(body);
}

/** The archive to upload: dropped on the zone or picked with the file input. */
function ArchivePicker({ file, onFile }: { file: File | undefined; onFile: (file: File | undefined) => void }) {
  const [dragging, setDragging] = useState(false);
  return (
    <div
      class={`drop ${dragging ? 'over' : ''}`}
      onDragOver={(e) => (e.preventDefault(), setDragging(true))}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        const dropped = e.dataTransfer?.files[0];
        if (dropped) onFile(dropped);
      }}
    >
      <label for="archive">Archive (.zip or .tar.gz)</label>
      <input id="archive" type="file" accept=".zip,.tar.gz,.tgz,application/zip,application/gzip" onChange={(e) => onFile(e.currentTarget.files?.[0])} />
      <p class="muted small">{file ? `${file.name} (${Math.ceil(file.size / 1024)} KB)` : 'or drop it here'}</p>
    </div>
  );
}

function parseEnv(text: string): Record<string, string> | undefined {
  const env: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`env line "${line.split('=')[0]}" is not NAME=value`);
    env[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return Object.keys(env).length ? env : undefined;
}
