import { describe, expect, it } from 'vitest';
import type { DeploymentRow } from '@berth/shared/db';
import type { LogSink } from '../../src/log-sink.ts';
import { settlePreviews } from '../../src/preview-settling.ts';

// A preview went live: the worker settles its project's previews (PreviewLimits, faked here) with
// MAX_PREVIEWS_PER_PROJECT, says so in the deployment's log, and starts a drain timer per retired preview.
function fakeLog() {
  const lines: string[] = [];
  const log = { system: (line: string) => void lines.push(line), flush: async () => {} } as unknown as LogSink;
  return { log, lines };
}
const noWarnings = { warn: () => expect.unreachable('no warning expected') };
const running = { id: 'newpreview', project: 'shop', promote: false } as DeploymentRow;

describe('settlePreviews', () => {
  it('settles the preview’s project with the configured limit, logs what it did, and drains each retired one', async () => {
    const asked: [string, number][] = [];
    const draining: string[] = [];
    const { log, lines } = fakeLog();
    const previews = {
      settle: async (project: string, max: number) => {
        asked.push([project, max]);
        return { retired: ['older1', 'older2'], stopped: ['oldest'] };
      },
    };
    await settlePreviews({ config: { MAX_PREVIEWS_PER_PROJECT: 3 }, previews, onRetired: (id) => draining.push(id), logger: noWarnings }, running, log);
    expect(asked).toEqual([['shop', 3]]);
    expect(draining).toEqual(['older1', 'older2']);
    expect(lines.join('\n')).toMatch(/older previews of this branch drain, then stop: older1, older2/);
    expect(lines.join('\n')).toMatch(/at most 3 per project\): oldest/);
  });

  it('nothing to settle: no drain timer, no line about other previews', async () => {
    const draining: string[] = [];
    const { log, lines } = fakeLog();
    const previews = { settle: async () => ({ retired: [], stopped: [] }) };
    await settlePreviews({ config: { MAX_PREVIEWS_PER_PROJECT: 10 }, previews, onRetired: (id) => draining.push(id), logger: noWarnings }, running, log);
    expect(draining).toEqual([]);
    expect(lines).toEqual([`preview: shop's URL stays where it is (promote it to move it here)`]);
  });

  it('a failing settle does not fail the live preview: a warning, and the reaper settles later', async () => {
    const { log } = fakeLog();
    const warnings: unknown[] = [];
    const previews = { settle: async () => Promise.reject(new Error('postgres down')) };
    const logger = { warn: (obj: unknown) => void warnings.push(obj) };
    await expect(settlePreviews({ config: { MAX_PREVIEWS_PER_PROJECT: 10 }, previews, logger }, running, log)).resolves.toBeUndefined();
    expect(warnings).toEqual([expect.objectContaining({ deploymentId: 'newpreview' })]);
  });
});
