import { describe, expect, it } from 'vitest';
import {
  buildLineCount,
  inFlightHaveJobs,
  logsComplete,
  noOrphans,
  numberingFaults,
  resumeLine,
  routesMatch,
  type LogFact,
  type SettledState,
} from '../../bench/soak/invariants.ts';
import { failuresExplained, invariantTable, noLeaks, sizesBounded, viewersInOrder, type RunFacts } from '../../bench/soak/invariants-runtime.ts';
import { judgedIncarnation } from '../../bench/soak/process-samples.ts';

const build = (n = buildLineCount): LogFact[] => Array.from({ length: n }, (_, i) => ({ seq: 0, stream: 'build', line: `soak build ${i + 1}` }));
const run = (n: number): LogFact[] => Array.from({ length: n }, (_, i) => ({ seq: 0, stream: 'runtime', line: `soak run ${i + 1}` }));
const seqd = (lines: LogFact[]) => lines.map((l, i) => ({ ...l, seq: i + 1 }));

/** A settled platform where every invariant holds: one project serving its release, an older one stopped. */
function healthy(): SettledState {
  return {
    baseDomain: 'localhost',
    releasesKept: 2,
    deployments: [
      { id: 'd1', project: 'p', status: 'stopped', wentLive: true, built: true },
      { id: 'd2', project: 'p', status: 'running', wentLive: true, built: true },
      { id: 'd3', project: 'p', status: 'canceled', wentLive: false, built: true },
    ],
    projects: [{ name: 'p', current: 'd2' }],
    jobs: [
      { id: 'd1', state: 'completed' },
      { id: 'd2', state: 'completed' },
    ],
    logs: { d1: seqd([...build(), ...run(3)]), d2: seqd([...build(5), ...build(), ...run(4)]), d3: [] },
    containers: [{ name: 'c2', deployment: 'd2' }],
    images: [
      { tag: 'berth-x/d1:latest', deployment: 'd1' },
      { tag: 'berth-x/d2:latest', deployment: 'd2' },
    ],
    networks: [{ name: 'n', project: 'p' }],
    volumes: [],
    routeHosts: ['d2.localhost', 'p.localhost'],
  };
}

const broken = (patch: (s: SettledState) => void) => {
  const s = healthy();
  patch(s);
  return s;
};

describe('the soak invariants over the settled state', () => {
  it('all hold on a healthy state', () => {
    for (const check of [inFlightHaveJobs, logsComplete, noOrphans, routesMatch]) expect(check(healthy())).toMatchObject({ ok: true });
  });

  it('a deployment in flight without a live job breaks the first; with a waiting job it holds', () => {
    const stuck = broken((s) => s.deployments.push({ id: 'd4', project: 'p', status: 'building', wentLive: false, built: true }));
    expect(inFlightHaveJobs(stuck)).toMatchObject({ ok: false, detail: expect.stringContaining('d4 building') });
    stuck.jobs.push({ id: 'd4', state: 'completed' });
    expect(inFlightHaveJobs(stuck).ok).toBe(false);
    stuck.jobs[2] = { id: 'd4', state: 'waiting' };
    expect(inFlightHaveJobs(stuck).ok).toBe(true);
  });

  it('a lost, repeated or reordered log line, a seq gap, or a short last build breaks the log invariant', () => {
    expect(numberingFaults([1, 2, 4])).toEqual(['4 after 2']);
    expect(numberingFaults([1, 2, 2])).toEqual(['2 after 2']);
    expect(numberingFaults([1, 2, 1, 2, 3])).toEqual([]);
    const lost = broken((s) => (s.logs.d1 = seqd([...build(), ...run(3)].filter((l) => l.line !== 'soak run 2'))));
    expect(logsComplete(lost)).toMatchObject({ ok: false, detail: expect.stringContaining('d1: run 3 after 1') });
    const repeated = broken((s) => (s.logs.d2 = seqd([...build(), ...run(2), ...run(2).slice(1)])));
    expect(logsComplete(repeated).ok).toBe(false);
    const gap = broken((s) => (s.logs.d1 = seqd(build()).filter((l) => l.seq !== 7)));
    expect(logsComplete(gap)).toMatchObject({ ok: false, detail: expect.stringContaining('seq 8 after 6') });
    const short = broken((s) => (s.logs.d1 = seqd(build(12))));
    expect(logsComplete(short)).toMatchObject({ ok: false, detail: expect.stringContaining('12/30') });
  });

  it('a seq gap right before a resumed attempt (lines a killed worker held) is counted, not a fault; a rollback prints no build', () => {
    const resume = { seq: 0, stream: 'system', line: resumeLine };
    const resumed = broken((s) => (s.logs.d1 = seqd([...build(7), resume, ...build(), ...run(2)]).map((l, i) => (i >= 7 ? { ...l, seq: l.seq + 2 } : l))));
    expect(logsComplete(resumed)).toMatchObject({ ok: true, detail: expect.stringContaining('1 gaps of lines a killed worker held') });
    const elsewhere = broken((s) => (s.logs.d1 = seqd([...build(7), resume, ...build(), ...run(2)]).map((l, i) => (i >= 9 ? { ...l, seq: l.seq + 2 } : l))));
    expect(logsComplete(elsewhere).ok).toBe(false);
    const rollback = broken((s) => {
      s.deployments.push({ id: 'd6', project: 'p', status: 'stopped', wentLive: true, built: false });
      s.logs.d6 = seqd(run(3));
    });
    expect(logsComplete(rollback).ok).toBe(true);
    rollback.deployments[3]!.built = true;
    expect(logsComplete(rollback).ok).toBe(false);
  });

  it('a container, image, network, volume or job nobody owns breaks the orphan invariant', () => {
    const cases: ((s: SettledState) => void)[] = [
      (s) => s.containers.push({ name: 'c1', deployment: 'd1' }), // its deployment stopped
      (s) => s.containers.push({ name: 'release', deployment: undefined }),
      (s) => s.images.push({ tag: 'berth-x/gone:latest', deployment: 'gone' }),
      (s) => s.networks.push({ name: 'n2', project: 'deleted' }),
      (s) => s.volumes.push({ name: 'v', project: undefined }),
      (s) => s.jobs.push({ id: 'ghost', state: 'completed' }),
      (s) => s.jobs.push({ id: 'd1', state: 'waiting' }), // a live job for a final deployment
      (s) => s.images.push({ tag: 'berth-x/d3:latest', deployment: 'd3' }), // 3 stopped ones kept, RELEASES_KEPT 2
    ];
    for (const patch of cases) {
      if (patch === cases[7]) {
        const s = broken((x) => x.deployments.push({ id: 'd5', project: 'p', status: 'stopped', wentLive: true, built: true }));
        s.images.push({ tag: 'berth-x/d5:latest', deployment: 'd5' });
        patch(s);
        expect(noOrphans(s)).toMatchObject({ ok: false, detail: expect.stringContaining('RELEASES_KEPT') });
      } else expect(noOrphans(broken(patch)).ok).toBe(false);
    }
  });

  it('the image a live rollback runs (named after its older build) is its, not one more kept release', () => {
    const rolledBack = broken((s) => {
      s.deployments.push(
        { id: 'd0', project: 'p', status: 'stopped', wentLive: true, built: true },
        { id: 'd4', project: 'p', status: 'stopped', wentLive: true, built: true },
        { id: 'd5', project: 'p', status: 'running', wentLive: true, built: false, releaseOf: 'd0' },
      );
      s.deployments[1]!.status = 'stopped'; // d2: the rollback replaced it
      s.projects[0]!.current = 'd5';
      s.jobs.push({ id: 'd0', state: 'completed' }, { id: 'd4', state: 'completed' }, { id: 'd5', state: 'completed' });
      s.containers = [{ name: 'c5', deployment: 'd5' }];
      s.images.push({ tag: 'berth-x/d0:latest', deployment: 'd0' }, { tag: 'berth-x/d4:latest', deployment: 'd4' });
      s.images.splice(0, 1); // d1's went: RELEASES_KEPT 2 keeps d2 and d4, d0 for the live rollback
    });
    expect(noOrphans(rolledBack).ok).toBe(true);
    rolledBack.deployments[5]!.releaseOf = null; // the same images without the rollback using d0's: one too many
    expect(noOrphans(rolledBack)).toMatchObject({ ok: false, detail: expect.stringContaining('p keeps 3 images') });
  });

  it('a route missing, or one left for a stopped deployment, breaks the route invariant', () => {
    expect(routesMatch(broken((s) => (s.routeHosts = ['d2.localhost'])))).toMatchObject({ ok: false, detail: 'missing p.localhost' });
    expect(routesMatch(broken((s) => s.routeHosts.push('d1.localhost')))).toMatchObject({ ok: false, detail: 'extra d1.localhost' });
  });
});

function quietRun(): RunFacts {
  return {
    requests: 100,
    failed: [{ project: 'p', at: 1500, status: 502 }],
    excuses: [{ project: 'p', from: 1000, to: 2000, why: 'first release not live yet' }],
    viewerFaults: [],
    viewerLines: 40,
    processes: [{ name: 'api', warm: { rssBytes: 100e6, fds: 30 }, end: { rssBytes: 115e6, fds: 33 } }],
    sizes: [{ name: 'postgres', bytes: 10e6, limit: 20e6 }],
  };
}

describe('the soak invariants over the run', () => {
  it('all hold on a quiet run, and the table shows each', () => {
    const results = [failuresExplained, viewersInOrder, noLeaks, sizesBounded].map((f) => f(quietRun()));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(invariantTable(results).split('\n')).toHaveLength(6);
  });

  it('a failure outside its own app`s window, or in another app`s window, breaks it; a platform-wide window excuses it', () => {
    const r = quietRun();
    r.failed.push({ project: 'q', at: 1500, status: 502 }, { project: 'p', at: 2500, status: 0 });
    expect(failuresExplained(r)).toMatchObject({ ok: false, detail: expect.stringMatching(/^q 502 .*, p 0 /) });
    r.excuses.push({ from: 1400, to: 3000, why: 'Caddy restarted' });
    expect(failuresExplained(r).ok).toBe(true);
  });

  it('a request sent just before a window opened and failing inside it is excused; one that ended before it is not', () => {
    const r = quietRun();
    r.failed = [{ project: 'p', at: 990, endedAt: 1003, status: 0, error: 'ECONNREFUSED' }];
    expect(failuresExplained(r).ok).toBe(true);
    r.failed = [{ project: 'p', at: 980, endedAt: 995, status: 0, error: 'ECONNREFUSED' }];
    expect(failuresExplained(r)).toMatchObject({ ok: false, detail: expect.stringContaining('p ECONNREFUSED') });
  });

  it('a viewer fault, RSS or fds past 20 %, or a store over its bound breaks its invariant', () => {
    expect(viewersInOrder({ ...quietRun(), viewerFaults: ['d1: 5 after 3'] }).ok).toBe(false);
    const fat = quietRun();
    fat.processes[0]!.end!.rssBytes = 121e6;
    expect(noLeaks(fat)).toMatchObject({ ok: false, detail: expect.stringContaining('api RSS') });
    const fds = quietRun();
    fds.processes[0]!.end!.fds = 37;
    expect(noLeaks(fds)).toMatchObject({ ok: false, detail: 'api fds 30 → 37' });
    const cold = quietRun();
    cold.processes[0]!.warm = undefined; // restarted too late to warm: not judged
    expect(noLeaks(cold)).toMatchObject({ ok: true, detail: expect.stringContaining('not judged (restarted late, or a run under 4 min): api') });
    expect(sizesBounded({ ...quietRun(), sizes: [{ name: 'redis', bytes: 30e6, limit: 20e6 }] }).ok).toBe(false);
  });

  it('judges the incarnation watched longest past its warm sample: a leak over a long life shows, a restart near the end does not hide it', () => {
    const sample = (mb: number) => ({ rssBytes: mb * 1e6, fds: 30 });
    const long = { pid: 1, seenAt: 0, warm: sample(100), warmAt: 60_000, last: sample(130), lastAt: 720_000 };
    const late = { pid: 2, seenAt: 730_000, warm: sample(100), warmAt: 790_000, last: sample(101), lastAt: 900_000 };
    const facts = judgedIncarnation('api', [long, late]);
    expect(facts).toMatchObject({ warm: sample(100), end: sample(130), watchedMs: 660_000, incarnations: 2 });
    expect(noLeaks({ ...quietRun(), processes: [facts] })).toMatchObject({ ok: false, detail: 'api RSS 95 MB → 124 MB over 11.0 min' });
    const unwarmed = { pid: 3, seenAt: 880_000, last: sample(50), lastAt: 900_000 };
    expect(judgedIncarnation('api', [unwarmed]).warm).toBeUndefined();
    expect(judgedIncarnation('api', [late, unwarmed]).end).toEqual(sample(101));
  });
});

describe('the RSS judgement over a minute`s medians (issue 32)', () => {
  /** An incarnation sampled every 5 s from its warm sample at 60 s to `endMs`, its RSS (MB) given by `rss(t)`. */
  const sampled = (endMs: number, rss: (t: number) => number) => {
    const samples = [];
    for (let at = 60_000; at <= endMs; at += 5000) samples.push({ at, sample: { rssBytes: rss(at) * 1048576, fds: 30 } });
    return { pid: 1, seenAt: 0, warm: samples[0]!.sample, warmAt: 60_000, last: samples.at(-1)!.sample, lastAt: endMs, samples };
  };
  /** ±15 MB around `base` from one sample to the next, as a node process's RSS swings between collections. */
  const swinging = (base: number) => (t: number) => base + ((t / 5000) % 2 === 0 ? 15 : -15);
  const judged = (rss: (t: number) => number, endMs = 780_000) => noLeaks({ ...quietRun(), processes: [judgedIncarnation('api', [sampled(endMs, rss)])] });

  it('holds for a young generation grown once in the first half, then flat (269 → 390 MB, the soak`s API)', () => {
    expect(judged((t) => swinging(t < 300_000 ? 269 + ((t - 60_000) / 240_000) * 121 : 390)(t))).toMatchObject({ ok: true });
  });

  it('breaks on a leak that goes on past 20 % over the span, as single samples did; holds under it', () => {
    expect(judged((t) => 270 + ((t - 60_000) / 720_000) * 60)).toMatchObject({ ok: false, detail: expect.stringContaining('api RSS 300 MB → 328 MB over the second half') });
    expect(judged((t) => 270 + ((t - 60_000) / 720_000) * 50)).toMatchObject({ ok: true }); // 18.5 %: under the bound, as before
  });

  it('one high sample at the end, or at the warm-up, is not the value judged', () => {
    expect(judged((t) => (t >= 775_000 ? 500 : 270))).toMatchObject({ ok: true });
    expect(judged((t) => (t <= 60_000 ? 100 : 270), 200_000)).toMatchObject({ ok: true });
  });

  it('a span too short for a middle is judged warm → end, on medians', () => {
    expect(judgedIncarnation('api', [sampled(200_000, () => 270)]).mid).toBeUndefined();
    expect(judged((t) => (t < 120_000 ? 270 : 340), 200_000)).toMatchObject({ ok: false, detail: expect.stringContaining('api RSS 270 MB → 340 MB') });
  });
});
