import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from './status-badge.tsx';

interface CountControlProps {
  value: number;
  /** The thing scaled, for the form's name ("<label> of <what>"). */
  what: string;
  onScale: (count: number) => Promise<unknown>;
  /** What the number is: Replicas (at least 1), or a process type's Count (0 stops it). */
  label?: string;
  min?: number;
}

/**
 * How many copies run: a number and a Scale button. The API checks the count
 * (its bounds, and that more than one needs swarm mode) and its refusal is
 * shown as it says it (in a row of a list: on its own line, last).
 */
export function ReplicasControl({ value, what, onScale, label = 'Replicas', min = 1 }: CountControlProps) {
  const [draft, setDraft] = useState(String(value));
  const [error, setError] = useState<unknown>();
  const [saving, setSaving] = useState(false);
  // A change made elsewhere (the CLI, another tab) shows once the query refetches.
  useEffect(() => setDraft(String(value)), [value]);

  const submit = (e: Event) => {
    e.preventDefault();
    setSaving(true);
    onScale(Number(draft))
      .then(() => setError(undefined), setError)
      .finally(() => setSaving(false));
  };
  return (
    <>
      {error !== undefined && <div class="full"><ErrorBox error={error} /></div>}
      <form class="inline" aria-label={`${label} of ${what}`} onSubmit={submit}>
        <label>
          {label} <input type="number" min={min} step={1} required value={draft} onInput={(e) => setDraft(e.currentTarget.value)} size={4} />
        </label>
        <button type="submit" disabled={saving || draft === String(value)}>Scale</button>
      </form>
    </>
  );
}
