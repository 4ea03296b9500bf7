import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildCaddyConfig } from '../../src/caddy-config.ts';
import { canonicalJson } from '../../src/router-sync.ts';

// Each case is a pair in golden/: <name>.input.json (the routing state and settings) and
// <name>.caddy.json (the config expected). A new case is a new pair, found here without a code change.
const golden = path.join(path.dirname(fileURLToPath(import.meta.url)), 'golden');
const cases = readdirSync(golden)
  .filter((f) => f.endsWith('.input.json'))
  .map((f) => f.slice(0, -'.input.json'.length))
  .sort();

function render(name: string) {
  const input = JSON.parse(readFileSync(path.join(golden, `${name}.input.json`), 'utf8'));
  return buildCaddyConfig(
    {
      apps: input.apps,
      current: new Map(Object.entries(input.current)),
      ...(input.domains ? { domains: new Map(Object.entries(input.domains as Record<string, string>)) } : {}),
      ...(input.previews ? { previews: new Map(Object.entries(input.previews as Record<string, string>)) } : {}),
    },
    input.settings,
  );
}

describe('buildCaddyConfig (golden files)', () => {
  it('finds every case of the folder, each with its expected config', () => {
    expect(cases).toEqual(expect.arrayContaining(['two-apps', 'empty', 'domains', 'domains-acme', 'swarm', 'previews', 'previews-domains']));
    for (const name of cases) expect(readdirSync(golden)).toContain(`${name}.caddy.json`);
  });

  for (const name of cases) {
    it(`renders ${name} exactly as the golden file`, () => {
      const actual = JSON.stringify(render(name), null, 2) + '\n';
      const file = path.join(golden, `${name}.caddy.json`);
      // UPDATE_GOLDEN=1 rewrites the expected output after an intended change (review the diff).
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, actual);
      expect(actual).toBe(readFileSync(file, 'utf8'));
    });
  }

  it('is deterministic whatever order the containers are listed in', () => {
    const input = JSON.parse(readFileSync(path.join(golden, 'two-apps.input.json'), 'utf8'));
    const a = buildCaddyConfig({ apps: input.apps, current: new Map(Object.entries(input.current as Record<string, string>)) }, input.settings);
    const b = buildCaddyConfig(
      { apps: [...input.apps].reverse(), current: new Map(Object.entries(input.current as Record<string, string>).reverse()) },
      input.settings,
    );
    expect(canonicalJson(a)).toBe(canonicalJson(b));
  });

  it('adds nothing for custom domains when there are none (no HTTPS server, no tls app)', () => {
    const input = JSON.parse(readFileSync(path.join(golden, 'domains.input.json'), 'utf8'));
    const withNone = buildCaddyConfig({ apps: input.apps, current: new Map(), domains: new Map() }, input.settings);
    const without = buildCaddyConfig({ apps: input.apps, current: new Map() }, input.settings);
    expect(canonicalJson(withNone)).toBe(canonicalJson(without));
    expect(Object.keys((withNone as any).apps)).toEqual(['http']);
    expect(Object.keys((withNone as any).apps.http.servers)).toEqual(['berth']);
  });

  it('is deterministic whatever order the domains are read in', () => {
    const input = JSON.parse(readFileSync(path.join(golden, 'domains.input.json'), 'utf8'));
    const entries = Object.entries(input.domains as Record<string, string>);
    const state = (d: [string, string][]) => ({ apps: input.apps, current: new Map(Object.entries(input.current as Record<string, string>)), domains: new Map(d) });
    expect(canonicalJson(buildCaddyConfig(state(entries), input.settings))).toBe(
      canonicalJson(buildCaddyConfig(state([...entries].reverse()), input.settings)),
    );
  });
});

describe('app upstream timeouts and passive health', () => {
  const handlers = (name: string) => JSON.stringify(render(name));
  const proxies = (name: string): Record<string, any>[] => {
    const found: Record<string, any>[] = [];
    JSON.parse(handlers(name), (_key, value) => {
      if (value && typeof value === 'object' && value.handler === 'reverse_proxy') found.push(value);
      return value;
    });
    return found;
  };
  const isApi = (p: Record<string, any>) => p.upstreams?.[0]?.dial === '127.0.0.1:3000' || p.upstreams?.[0]?.dial?.startsWith('unix/');

  it('docker mode: each app proxy (host map and custom domains) has the dial and response-header timeouts, no passive health; the API proxy none', () => {
    const all = proxies('domains');
    const apps = all.filter((p) => !isApi(p));
    expect(apps.length).toBeGreaterThan(1);
    for (const p of apps) {
      expect(p.transport).toEqual({ protocol: 'http', dial_timeout: '1s', response_header_timeout: '60s' });
      expect(p.health_checks).toBeUndefined();
    }
    for (const p of all.filter(isApi)) expect(p.transport).toBeUndefined();
  });

  it('swarm mode: the settings as set (1500 ms → "1500ms"), and a failed request takes the task out for fail_duration', () => {
    const apps = proxies('swarm').filter((p) => p.dynamic_upstreams);
    expect(apps.length).toBeGreaterThan(1); // the host map's and the custom domain's
    for (const p of apps) {
      expect(p.transport).toEqual({ protocol: 'http', dial_timeout: '1500ms', response_header_timeout: '30s' });
      expect(p.health_checks).toEqual({ passive: { fail_duration: '3s', max_fails: 1 } });
    }
  });
});
