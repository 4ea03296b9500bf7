import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildServiceSpec, registryImageRef, type SwarmServiceOptions } from '../../src/docker/swarm-service-spec.ts';

const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');

const base: SwarmServiceOptions = {
  name: 'berth-test-dep1',
  image: '127.0.0.1:5000/test/dep1:latest',
  env: { ZED: '1', PORT: '3000', APP_SECRET: 'x y' },
  labels: { 'dev.berth.project': 'p1', 'dev.berth.instance': 'test', 'dev.berth.deployment': 'dep1', 'dev.berth.port': '3000' },
  port: 3000,
  network: 'berth-test',
  memoryBytes: 512 * 1024 * 1024,
  nanoCpus: 1_000_000_000,
  replicas: 3,
  maxReplicas: 10,
};

describe('buildServiceSpec', () => {
  it('renders a three-replica service exactly as the golden file', () => {
    const actual = JSON.stringify(buildServiceSpec(base), null, 2) + '\n';
    const file = path.join(golden, 'swarm-service.json');
    // UPDATE_GOLDEN=1 rewrites the expected output after an intended change (review the diff).
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
    expect(actual).toBe(readFileSync(file, 'utf8'));
  });

  it('is deterministic whatever order env and labels come in', () => {
    const reversed = {
      ...base,
      env: Object.fromEntries(Object.entries(base.env).reverse()),
      labels: Object.fromEntries(Object.entries(base.labels).reverse()),
    };
    expect(JSON.stringify(buildServiceSpec(reversed))).toBe(JSON.stringify(buildServiceSpec(base)));
  });

  it('updates start-first, rolls back on failure, and resolves by dnsrr (no VIP)', () => {
    const spec = buildServiceSpec(base);
    expect(spec.UpdateConfig).toMatchObject({ Parallelism: 1, Order: 'start-first', FailureAction: 'rollback' });
    expect(spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(spec.TaskTemplate.RestartPolicy.Condition).toBe('any');
  });

  it('without volumes has no mounts and no placement (any node)', () => {
    const spec = buildServiceSpec(base);
    expect([spec.TaskTemplate.ContainerSpec.Mounts, spec.TaskTemplate.Placement]).toEqual([undefined, undefined]);
  });

  it('places every replica of a service with volumes on the node holding them', () => {
    const at = (volume: string, id: string) => ({ volume, target: `/${volume}`, labels: { b: '2', a: '1' }, node: { id, local: false } });
    const spec = buildServiceSpec({ ...base, mounts: [at('v1', 'n2'), at('v2', 'n2')] });
    expect(spec.TaskTemplate.Placement).toEqual({ Constraints: ['node.id == n2'] });
    expect(spec.Mode.Replicated.Replicas).toBe(3);
    expect(spec.TaskTemplate.ContainerSpec.Mounts?.map((m) => [m.Source, m.Target, JSON.stringify(m.VolumeOptions.Labels)])).toEqual([
      ['v1', '/v1', '{"a":"1","b":"2"}'],
      ['v2', '/v2', '{"a":"1","b":"2"}'],
    ]);
    // Volumes on two nodes, or on none named, could not all be mounted by one task.
    expect(() => buildServiceSpec({ ...base, mounts: [at('v1', 'n1'), at('v2', 'n2')] })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(() => buildServiceSpec({ ...base, mounts: [{ volume: 'v1', target: '/v1' }] })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  for (const replicas of [0, -1, 1.5, 11, Number.NaN]) {
    it(`refuses ${replicas} replicas with VALIDATION_FAILED`, () => {
      expect(() => buildServiceSpec({ ...base, replicas })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    });
  }

  it('refuses a port outside 1..65535', () => {
    expect(() => buildServiceSpec({ ...base, port: 70000 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('refuses a port that is not a whole number (a hostile string never reaches the spec)', () => {
    expect(() => buildServiceSpec({ ...base, port: '1);process.exit(0)//' as unknown as number })).toThrow();
  });

  it('runs no health check inside the task, not even the image\'s own: any image that serves HTTP runs (no node, no shell needed)', () => {
    const { ContainerSpec } = buildServiceSpec(base).TaskTemplate;
    expect(ContainerSpec.HealthCheck).toEqual({ Test: ['NONE'] });
    expect(JSON.stringify(buildServiceSpec(base))).not.toMatch(/node|\/bin\/sh|curl|wget/);
  });
});

describe('registryImageRef', () => {
  it('is <registry>/<instance>/<deployment>, lower-case, with nothing a registry refuses', () => {
    expect(registryImageRef('127.0.0.1:5000', 'Test_1', 'AbC/../x')).toBe('127.0.0.1:5000/test_1/abc-..-x:latest');
  });
});
