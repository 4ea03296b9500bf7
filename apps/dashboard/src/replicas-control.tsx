import { useEffect, useState } from 'preact/hooks';
import { ErrorBox } from './status-badge.tsx';

/**
 * How many copies run: a number and a Scale button. The API checks the count
 * (its bounds, and that more than one needs swarm mode) and its refusal is
 * shown as it says it. `what` names the thing scaled, for the form's label.
 */
export function ReplicasControl({ value, what, onScale }: { value: number; what: string; onScale: (replicas: number) => Promise<unknown> }) {
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
      <ErrorBox error={error} />
      <form class="inline" aria-label={`Replicas of ${what}`} onSubmit={submit}>
        <label>
          Replicas <input type="number" min={1} step={1} required value={draft} onInput={(e) => setDraft(e.currentTarget.value)} size={4} />
        </label>
        <button type="submit" disabled={saving || draft === String(value)}>Scale</button>
      </form>
    </>
  );
}
