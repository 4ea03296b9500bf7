import { describe, expect, it } from 'vitest';
import { loadRouterSyncConfig } from '../src/config.ts';

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
