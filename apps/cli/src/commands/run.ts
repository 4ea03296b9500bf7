/** berth run <project> -- <command...> */
import { berth, CliError, streamEvents } from '../berth-api.ts';
import { note, printLine } from '../output.ts';

const usage = 'usage: berth run <project> -- <command...>';

/**
 * Runs the command once in the project's current release (its image, env, volumes and limits),
 * prints its output as it comes (each line once), and exits with the command's exit code; a run
 * that failed without one (timed out, canceled, no image) exits 1 with the reason.
 */
export async function run(args: string[]): Promise<number> {
  const dashes = args.indexOf('--');
  const before = dashes === -1 ? args.slice(0, 1) : args.slice(0, dashes);
  const words = dashes === -1 ? args.slice(1) : args.slice(dashes + 1);
  if (before.length !== 1 || words.length === 0 || before[0]!.startsWith('-')) throw new CliError(usage);
  const project = before[0]!;
  const started = await berth((api) => api.startRun(project, words.join(' ')));
  note(`run ${started.id} in release ${started.deploymentId}: ${started.command}`);
  await streamEvents(`/api/projects/${encodeURIComponent(project)}/runs/${started.id}/events`, (e) => {
    if (e.event === 'log' && e.data.stream !== 'system') printLine(e.data);
  });
  const end = await berth((api) => api.getRun(project, started.id));
  if (end.status === 'succeeded') return 0;
  if (end.exitCode !== null && end.exitCode !== 0) return end.exitCode;
  note(`run ${end.id} ${end.status}${end.errorCode ? ` (${end.errorCode})` : ''}${end.errorMessage ? `: ${end.errorMessage}` : ''}`);
  return 1;
}
