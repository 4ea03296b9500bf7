import { useState } from 'preact/hooks';
import type { Job, NewJob } from './resources-api.ts';

/**
 * A scheduled job's fields: a new job (its name too), or a change of one (`job` given: its name stays).
 * The API checks the schedule and timezone (400 INVALID_SCHEDULE), shown by the panel as it says it.
 */
export function JobForm({ job, onSave, onCancel }: { job?: Job; onSave: (fields: NewJob) => Promise<boolean>; onCancel?: () => void }) {
  const [name, setName] = useState(job?.name ?? '');
  const [schedule, setSchedule] = useState(job?.schedule ?? '');
  const [command, setCommand] = useState(job?.command ?? '');
  const [timezone, setTimezone] = useState(job?.timezone ?? '');
  const [timeout, setTimeoutSeconds] = useState(job ? String(job.timeoutSeconds) : '');

  const submit = (e: Event) => {
    e.preventDefault();
    const fields: NewJob = { name: name.trim(), schedule: schedule.trim(), command, timezone: timezone.trim() || null };
    if (timeout.trim()) fields.timeoutSeconds = Number(timeout);
    void onSave(fields).then((saved) => {
      if (saved && !job) (setName(''), setSchedule(''), setCommand(''), setTimezone(''), setTimeoutSeconds(''));
    });
  };
  return (
    <form class="inline" aria-label={job ? `Edit job ${job.name}` : 'Add job'} onSubmit={submit}>
      {!job && <label>Job name <input value={name} onInput={(e) => setName(e.currentTarget.value)} required size={12} /></label>}
      <label>Schedule <input value={schedule} onInput={(e) => setSchedule(e.currentTarget.value)} required placeholder="0 3 * * *" size={14} /></label>
      <label>Command <input value={command} onInput={(e) => setCommand(e.currentTarget.value)} required placeholder="node cleanup.js" size={20} /></label>
      <label>Timezone <input value={timezone} onInput={(e) => setTimezone(e.currentTarget.value)} placeholder="UTC" size={14} /></label>
      <label>Timeout (s) <input type="number" min={1} step={1} value={timeout} onInput={(e) => setTimeoutSeconds(e.currentTarget.value)} size={6} /></label>
      <button type="submit">{job ? 'Save job' : 'Add job'}</button>
      {onCancel && <button type="button" class="quiet" onClick={onCancel}>Cancel</button>}
    </form>
  );
}
