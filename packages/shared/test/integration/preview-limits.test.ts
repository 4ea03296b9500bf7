import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { DeploymentStatus } from '../../src/deployment-state.ts';
import { PreviewLimits } from '../../src/preview-limits.ts';
import { RoutingStore } from '../../src/routing-store.ts';
import { databaseForFile } from '@berth/testing/database';

const database = databaseForFile();
let clock = Date.parse('2026-01-01T00:00:00Z');

/** The lifecycle's way from queued to each status a test needs. */
const path: DeploymentStatus[] = ['queued', 'fetching', 'building', 'starting', 'running', 'crashed'];

/** Moves a deployment to `status` through the lifecycle (the one status writer), step by step. */
async function moveTo(id: string, status: DeploymentStatus): Promise<void> {
  const { lifecycle } = database();
  for (let i = 1; i <= path.indexOf(status); i++) await lifecycle.transition(id, [path[i - 1]!], path[i]!);
}

/** A deployment of `project` in `status`, made one second after the previous one (a preview unless `promote`). */
async function deployment(project: string, status: DeploymentStatus, options: { branch?: string | null; promote?: boolean } = {}): Promise<string> {
  const { store, db } = database();
  const id = `d${randomBytes(5).toString('hex')}`;
  await store.create({ id, project, sourceType: 'archive', rootDir: '.', port: 3000, env: {}, promote: options.promote ?? false, branch: options.branch ?? null });
  clock += 1000;
  await db.updateTable('deployments').set({ created_at: new Date(clock) }).where('id', '=', id).execute();
  await moveTo(id, status);
  return id;
}

const limits = () => new PreviewLimits(database().db, database().lifecycle);
const statusOf = async (id: string) => (await database().store.get(id))!.status;
const retiredAt = async (id: string) => (await database().store.get(id))!.retired_at;

describe('PreviewLimits.settle', () => {
  it("retires a branch's older live previews once a newer one runs; other branches and production stay", async () => {
    const release = await deployment('p1', 'running', { promote: true });
    const a1 = await deployment('p1', 'running', { branch: 'a' });
    const a2 = await deployment('p1', 'crashed', { branch: 'a' });
    const a3 = await deployment('p1', 'running', { branch: 'a' });
    const a4 = await deployment('p1', 'building', { branch: 'a' }); // not live yet: it replaces nothing
    const b1 = await deployment('p1', 'running', { branch: 'b' });
    const settled = await limits().settle('p1', 10);
    expect(settled).toEqual({ retired: expect.arrayContaining([a1, a2]), stopped: [] });
    expect(settled.retired).toHaveLength(2);
    for (const id of [a3, a4, b1, release]) expect(await retiredAt(id)).toBeNull();
    // Retired ones drain: the reaper stops them past DRAIN_MS.
    expect(await new RoutingStore(database().db).drained(-60_000)).toEqual(expect.arrayContaining([a1, a2]));
    expect(await limits().settle('p1', 10)).toEqual({ retired: [], stopped: [] }); // idempotent
  });

  it('an older preview that goes live after a newer one is retired, not the newer', async () => {
    const older = await deployment('p2', 'starting', { branch: 'x' });
    const newer = await deployment('p2', 'running', { branch: 'x' });
    await database().lifecycle.transition(older, ['starting'], 'running');
    expect((await limits().settle('p2', 10)).retired).toEqual([older]);
    expect(await retiredAt(newer)).toBeNull();
  });

  it('never retires or stops the preview that serves the project URL (it was promoted)', async () => {
    const promoted = await deployment('p3', 'running', { branch: 'x' });
    await new RoutingStore(database().db).promote('p3', promoted);
    const newer = await deployment('p3', 'running', { branch: 'x' });
    const other = await deployment('p3', 'running');
    expect(await limits().settle('p3', 1)).toEqual({ retired: [], stopped: [newer] });
    expect(await statusOf(promoted)).toBe('running');
    expect(await statusOf(other)).toBe('running');
  });

  it('beyond the limit the oldest live previews stop at once; in-flight, retired and other projects are not counted', async () => {
    const oldest = await deployment('p4', 'running');
    const old = await deployment('p4', 'crashed', { branch: 'c' });
    const retired = await deployment('p4', 'running', { branch: 'r' });
    await database().db.updateTable('deployments').set({ retired_at: new Date() }).where('id', '=', retired).execute();
    const building = await deployment('p4', 'building');
    const newer = await deployment('p4', 'running', { branch: 'd' });
    const newest = await deployment('p4', 'running');
    const elsewhere = await deployment('p4-other', 'running');
    const { stopped } = await limits().settle('p4', 2);
    expect(stopped).toEqual([old, oldest]);
    for (const id of stopped) expect(await statusOf(id)).toBe('stopped');
    for (const id of [retired, newer, newest, elsewhere]) expect(await statusOf(id)).toBe('running');
    expect(await statusOf(building)).toBe('building');
  });

  it('settleAll settles every project with more than one live preview', async () => {
    const q1 = await deployment('q1', 'running', { branch: 'x' });
    const q1b = await deployment('q1', 'running', { branch: 'x' });
    const q2a = await deployment('q2', 'running');
    const q2b = await deployment('q2', 'running');
    const q3 = await deployment('q3', 'running');
    const all = await limits().settleAll(1);
    expect(all.retired).toContain(q1);
    expect(all.stopped).toContain(q2a);
    for (const id of [q1b, q2b, q3]) expect(await statusOf(id)).toBe('running');
  });

  it('two settlings at once (two workers) stop each preview once and keep the newest', async () => {
    const ids = [];
    for (let i = 0; i < 6; i++) ids.push(await deployment('p5', 'running'));
    const [one, two] = await Promise.all([limits().settle('p5', 2), limits().settle('p5', 2)]);
    expect(new Set([...one.stopped, ...two.stopped])).toEqual(new Set(ids.slice(0, 4)));
    for (const id of ids.slice(4)) expect(await statusOf(id)).toBe('running');
  });
});
