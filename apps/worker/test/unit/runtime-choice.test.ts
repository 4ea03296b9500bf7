import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadWorkerConfig } from '../../src/config.ts';
import { DockerRuntime } from '../../src/docker/docker-runtime.ts';
import { runtimeFor } from '../../src/docker/runtime-for.ts';
import { SwarmRuntime } from '../../src/docker/swarm-runtime.ts';

describe('BERTH_RUNTIME', () => {
  it('is docker by default: plain containers, not services', () => {
    const config = loadWorkerConfig({});
    expect(config.BERTH_RUNTIME).toBe('docker');
    const runtime = runtimeFor(config);
    expect(runtime).toBeInstanceOf(DockerRuntime);
    expect(runtime).not.toBeInstanceOf(SwarmRuntime);
  });

  it('swarm gives the Swarm runtime with the configured registry', () => {
    const config = loadWorkerConfig({ BERTH_RUNTIME: 'swarm', BERTH_REGISTRY: 'registry.example.com:5000', SWARM_MAX_REPLICAS: '3' });
    expect(config).toMatchObject({ BERTH_REGISTRY: 'registry.example.com:5000', SWARM_MAX_REPLICAS: 3 });
    expect(runtimeFor(config)).toBeInstanceOf(SwarmRuntime);
  });

  it.each([
    [{ BERTH_RUNTIME: 'kubernetes' }, 'BERTH_RUNTIME'],
    [{ BERTH_REGISTRY: 'http://registry:5000' }, 'BERTH_REGISTRY'],
    [{ BERTH_REGISTRY: 'registry:5000/../x' }, 'BERTH_REGISTRY'],
    [{ SWARM_MAX_REPLICAS: '0' }, 'SWARM_MAX_REPLICAS'],
    [{ SWARM_MAX_REPLICAS: '2.5' }, 'SWARM_MAX_REPLICAS'],
  ])('refuses %o, naming %s', (source, variable) => {
    expect(() => loadWorkerConfig(source)).toThrow(variable);
  });
});

describe('DockerRuntime and replicas', () => {
  it('runs one container: scaling to 1 is a no-op, more is REPLICAS_NEED_SWARM (before any engine call)', async () => {
    const runtime = new DockerRuntime();
    await expect(runtime.scale('berth-none-x', 1)).resolves.toBeUndefined();
    await expect(runtime.scale('berth-none-x', 3)).rejects.toMatchObject({ code: 'REPLICAS_NEED_SWARM' });
    const options = { name: 'berth-none-x', image: 'none', env: {}, labels: {}, port: 3000, network: 'none', memoryBytes: 1, nanoCpus: 1 };
    await expect(runtime.runContainer({ ...options, replicas: 2 })).rejects.toMatchObject({ code: 'REPLICAS_NEED_SWARM' });
  });
});

describe('registry credentials', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'berth-registry-cred-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are none by default, both from variables, or the password from a file (one line)', () => {
    expect(loadWorkerConfig({}).registryCredentials).toBeUndefined();
    expect(loadWorkerConfig({ BERTH_REGISTRY_USERNAME: 'u', BERTH_REGISTRY_PASSWORD: 'p w' }).registryCredentials).toEqual({ username: 'u', password: 'p w' });
    const file = path.join(dir, 'password');
    writeFileSync(file, 'from-file\n');
    expect(loadWorkerConfig({ BERTH_REGISTRY_USERNAME: 'u', BERTH_REGISTRY_PASSWORD_FILE: file }).registryCredentials).toEqual({ username: 'u', password: 'from-file' });
  });

  it.each([
    [{ BERTH_REGISTRY_USERNAME: 'u' }, 'BERTH_REGISTRY_PASSWORD'],
    [{ BERTH_REGISTRY_PASSWORD: 'hunter2secret' }, 'BERTH_REGISTRY_USERNAME'],
    [{ BERTH_REGISTRY_USERNAME: 'u', BERTH_REGISTRY_PASSWORD: 'hunter2secret', BERTH_REGISTRY_PASSWORD_FILE: '/x' }, 'not both'],
    [{ BERTH_REGISTRY_USERNAME: 'u', BERTH_REGISTRY_PASSWORD_FILE: '/nonexistent/berth-password' }, 'cannot read'],
  ])('refuses %o, naming the problem (%s) and never the password', (source, problem) => {
    let message = '';
    try {
      loadWorkerConfig(source);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(problem);
    expect(message).not.toContain('hunter2secret');
  });

  it('refuses an empty password file', () => {
    const file = path.join(dir, 'empty');
    writeFileSync(file, '');
    expect(() => loadWorkerConfig({ BERTH_REGISTRY_USERNAME: 'u', BERTH_REGISTRY_PASSWORD_FILE: file })).toThrow('is empty');
  });
});
