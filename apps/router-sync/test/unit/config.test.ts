import { describe, expect, it } from 'vitest';
import { loadRouterSyncConfig } from '../../src/config.ts';

describe('router-sync config: custom domains', () => {
  it('serves HTTPS on :8443 with Caddy’s local CA by default', () => {
    const c = loadRouterSyncConfig({});
    expect(c.CADDY_HTTPS_LISTEN).toBe(':8443');
    expect(c.TLS_ISSUER).toBe('internal');
    expect(c.ACME_EMAIL).toBeUndefined();
  });

  it('takes ACME with an email', () => {
    const c = loadRouterSyncConfig({ TLS_ISSUER: 'acme', ACME_EMAIL: 'ops@example.com', CADDY_HTTPS_LISTEN: ':443' });
    expect(c).toMatchObject({ TLS_ISSUER: 'acme', ACME_EMAIL: 'ops@example.com', CADDY_HTTPS_LISTEN: ':443' });
  });

  it('refuses ACME without an email, a bad email, an unknown issuer and a listener without a port, naming the variable', () => {
    expect(() => loadRouterSyncConfig({ TLS_ISSUER: 'acme' })).toThrow(/ACME_EMAIL: required when TLS_ISSUER=acme/);
    expect(() => loadRouterSyncConfig({ TLS_ISSUER: 'acme', ACME_EMAIL: 'not-an-email' })).toThrow(/ACME_EMAIL/);
    expect(() => loadRouterSyncConfig({ TLS_ISSUER: 'letsencrypt' })).toThrow(/TLS_ISSUER/);
    expect(() => loadRouterSyncConfig({ CADDY_HTTPS_LISTEN: 'localhost' })).toThrow(/CADDY_HTTPS_LISTEN/);
  });
});

describe('router-sync config: the API upstream', () => {
  it('takes host:port or a unix socket in Caddy\'s spelling, and a loopback ask listener', () => {
    expect(loadRouterSyncConfig({}).API_UPSTREAM).toBe('127.0.0.1:3000');
    expect(loadRouterSyncConfig({}).CADDY_ASK_LISTEN).toBe('127.0.0.1:2021');
    expect(loadRouterSyncConfig({ API_UPSTREAM: 'unix//run/berth/api.sock' }).API_UPSTREAM).toBe('unix//run/berth/api.sock');
    expect(loadRouterSyncConfig({ API_UPSTREAM: 'api:3000' }).API_UPSTREAM).toBe('api:3000');
  });

  it('refuses anything else, naming the variable', () => {
    for (const bad of ['unix/run/api.sock', 'unix//', 'http://127.0.0.1:3000', '127.0.0.1', 'unix//run/a b.sock']) {
      expect(() => loadRouterSyncConfig({ API_UPSTREAM: bad }), bad).toThrow(/API_UPSTREAM/);
    }
    for (const bad of ['0.0.0.0:2021', ':2021', '10.0.0.1:2021']) {
      expect(() => loadRouterSyncConfig({ CADDY_ASK_LISTEN: bad }), bad).toThrow(/CADDY_ASK_LISTEN/);
    }
  });
});

describe('router-sync config: app upstream timeouts', () => {
  it('defaults to a 1 s dial, 60 s for response headers and 5 s out after a failure, and takes whole milliseconds', () => {
    expect(loadRouterSyncConfig({})).toMatchObject({ APP_DIAL_TIMEOUT_MS: 1000, APP_RESPONSE_HEADER_TIMEOUT_MS: 60_000, APP_FAIL_DURATION_MS: 5000 });
    expect(loadRouterSyncConfig({ APP_DIAL_TIMEOUT_MS: '250', APP_RESPONSE_HEADER_TIMEOUT_MS: '120000' })).toMatchObject({
      APP_DIAL_TIMEOUT_MS: 250,
      APP_RESPONSE_HEADER_TIMEOUT_MS: 120_000,
    });
  });

  it('refuses zero, negative, fractional and non-numeric values, naming the variable', () => {
    for (const bad of ['0', '-5', '1.5', 'soon']) {
      expect(() => loadRouterSyncConfig({ APP_DIAL_TIMEOUT_MS: bad }), bad).toThrow(/APP_DIAL_TIMEOUT_MS/);
      expect(() => loadRouterSyncConfig({ APP_RESPONSE_HEADER_TIMEOUT_MS: bad }), bad).toThrow(/APP_RESPONSE_HEADER_TIMEOUT_MS/);
      expect(() => loadRouterSyncConfig({ APP_FAIL_DURATION_MS: bad }), bad).toThrow(/APP_FAIL_DURATION_MS/);
    }
  });
});

describe('router-sync config: the access log receiver', () => {
  it('listens next to a unix admin socket (Caddy in a container), else on any free loopback port', () => {
    expect(loadRouterSyncConfig({}).accessLogListen).toBe('127.0.0.1:0');
    expect(loadRouterSyncConfig({ CADDY_ADMIN_URL: 'unix:///run/caddy-admin/admin.sock' }).accessLogListen).toBe('unix//run/caddy-admin/access.sock');
    expect(loadRouterSyncConfig({ ACCESS_LOG_LISTEN: 'off' }).accessLogListen).toBe('off');
    expect(loadRouterSyncConfig({ ACCESS_LOG_LISTEN: '127.0.0.1:2022' }).accessLogListen).toBe('127.0.0.1:2022');
  });

  it('refuses a listener off loopback (anyone reaching it could forge request counts), naming the variable', () => {
    for (const bad of ['0.0.0.0:2022', ':2022', '10.0.0.1:2022', 'unix//', 'on']) {
      expect(() => loadRouterSyncConfig({ ACCESS_LOG_LISTEN: bad }), bad).toThrow(/ACCESS_LOG_LISTEN/);
    }
  });
});

describe('router-sync config: the route resolver', () => {
  it('listens on a free loopback port in docker mode and not at all in swarm mode by default; off turns it off', () => {
    expect(loadRouterSyncConfig({}).routeResolverListen).toBe('127.0.0.1:0');
    expect(loadRouterSyncConfig({ BERTH_RUNTIME: 'swarm', CADDY_CONTAINER: 'c' }).routeResolverListen).toBe('off');
    expect(loadRouterSyncConfig({ ROUTE_RESOLVER_LISTEN: 'off' }).routeResolverListen).toBe('off');
    expect(loadRouterSyncConfig({ ROUTE_RESOLVER_LISTEN: '127.0.0.1:5053' }).routeResolverListen).toBe('127.0.0.1:5053');
  });

  it('refuses any address but loopback (whoever reaches it learns every app address), naming the variable', () => {
    for (const bad of ['0.0.0.0:5053', ':5053', '10.0.0.1:53', '127.0.0.1', 'udp/127.0.0.1:53', 'on']) {
      expect(() => loadRouterSyncConfig({ ROUTE_RESOLVER_LISTEN: bad }), bad).toThrow(/ROUTE_RESOLVER_LISTEN/);
    }
  });
});
