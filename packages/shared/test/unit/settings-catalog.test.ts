import { describe, expect, it, vi } from 'vitest';
import { programSchemas, settingRows } from '../../../../scripts/docs-tables/settings-catalog.ts';
import { scriptSettings } from '../../../../scripts/docs-tables/script-settings.ts';
import { loadWorkerConfig, workerRenamedEnv } from '../../../../apps/worker/src/config.ts';
import { withRenamedVariables } from '../../src/config.ts';

describe('the settings catalog', () => {
  it('describes every variable of every program, and gives each a default, (none) or (required)', () => {
    const rows = settingRows();
    expect(rows.length).toBeGreaterThan(90);
    for (const row of rows) {
      expect(row.description, `${row.name} (${row.programs.join(', ')}) has no description`).toBeTruthy();
      expect(row.default, row.name).not.toBe('');
    }
  });

  it('lists every program once and every variable in upper snake case', () => {
    expect(new Set(programSchemas.map((p) => p.program)).size).toBe(programSchemas.length);
    for (const { name } of [...settingRows(), ...scriptSettings]) expect(name).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
    for (const s of scriptSettings) expect(s.description.length, s.name).toBeGreaterThan(10);
  });

  it('has the variables the README table once missed', () => {
    const names = new Set(settingRows().map((r) => r.name));
    for (const name of ['DEBOUNCE_MS', 'BERTH_SUPERVISE_CADDY', 'BERTH_CLI_WAIT_MS', 'DOCKER_SOCKET', 'BERTH_STATUS_TIMEOUT_MS', 'REAPER_INTERVAL_MS']) {
      expect(names, name).toContain(name);
    }
    expect(names).not.toContain('MAINTENANCE_INTERVAL_MS');
  });
});

describe('REAPER_INTERVAL_MS, formerly MAINTENANCE_INTERVAL_MS', () => {
  it('is read under its new name without a warning', () => {
    const warn = vi.fn();
    expect(loadWorkerConfig({ REAPER_INTERVAL_MS: '700' }, warn).REAPER_INTERVAL_MS).toBe(700);
    expect(loadWorkerConfig({}, warn).REAPER_INTERVAL_MS).toBe(10_000);
    expect(warn).not.toHaveBeenCalled();
  });

  it('still takes the old name, with a deprecation warning at start', () => {
    const warn = vi.fn();
    const config = loadWorkerConfig({ MAINTENANCE_INTERVAL_MS: '300' }, warn);
    expect(config.REAPER_INTERVAL_MS).toBe(300);
    expect(config).not.toHaveProperty('MAINTENANCE_INTERVAL_MS');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(/MAINTENANCE_INTERVAL_MS is deprecated.*REAPER_INTERVAL_MS/);
  });

  it('prefers the new name when both are set, and says the old one is ignored', () => {
    const warn = vi.fn();
    expect(loadWorkerConfig({ MAINTENANCE_INTERVAL_MS: '300', REAPER_INTERVAL_MS: '900' }, warn).REAPER_INTERVAL_MS).toBe(900);
    expect(warn.mock.calls[0]![0]).toMatch(/MAINTENANCE_INTERVAL_MS is deprecated and ignored/);
  });

  it('checks the old name as strictly as the new one, naming the variable it is read as', () => {
    expect(() => loadWorkerConfig({ MAINTENANCE_INTERVAL_MS: 'soon' }, () => {})).toThrow(/REAPER_INTERVAL_MS/);
  });

  it('leaves the source untouched', () => {
    const source = { MAINTENANCE_INTERVAL_MS: '300' };
    withRenamedVariables(source, workerRenamedEnv, () => {});
    expect(source).toEqual({ MAINTENANCE_INTERVAL_MS: '300' });
  });
});
