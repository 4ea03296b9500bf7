import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProjectRow } from '@berth/shared/db';
import { SecretBox, sealedPlace, type SealedKind } from '@berth/shared/secret-box';
import { releaseEnvOf, type EnvSources } from '../../src/release-env.ts';
import { releaseOf } from '../../src/release-inputs.ts';

// Which env a new deployment is made with: production's for a release, the preview env for a preview
// (issue 25: pushing to a branch must not hand out production's secrets).
const secrets = new SecretBox(randomBytes(32));
/** Sealed where the project `shop` keeps that kind of env (values are bound to their place). */
const seal = (env: Record<string, string>, kind: SealedKind = 'env') => secrets.seal(env, sealedPlace('shop', kind));

function project(over: Partial<EnvSources> = {}): EnvSources {
  return {
    name: 'shop',
    env_sealed: seal({ DATABASE_URL: 'postgres://prod', SHARED: 'prod' }),
    build_env_sealed: seal({ NPM_TOKEN: 'prod-npm' }, 'buildEnv'),
    preview_env_sealed: seal({ SHARED: 'preview', PREVIEW_ONLY: '1' }, 'previewEnv'),
    preview_build_env_sealed: seal({ NPM_TOKEN: 'preview-npm' }, 'previewBuildEnv'),
    previews_inherit_env: false,
    ...over,
  };
}

describe('releaseEnvOf', () => {
  it('a release (promote) gets the project env and build env, never the preview ones', () => {
    expect(releaseEnvOf(project(), true, secrets)).toEqual({
      env: { DATABASE_URL: 'postgres://prod', SHARED: 'prod' },
      buildEnv: { NPM_TOKEN: 'prod-npm' },
    });
  });

  it('a preview gets the preview env only: no production secret, in its env or its build', () => {
    const { env, buildEnv } = releaseEnvOf(project(), false, secrets);
    expect(env).toEqual({ SHARED: 'preview', PREVIEW_ONLY: '1' });
    expect(buildEnv).toEqual({ NPM_TOKEN: 'preview-npm' });
    expect(JSON.stringify({ env, buildEnv })).not.toMatch(/prod/);
  });

  it('a preview of a project with no preview env gets nothing at all (not the production env)', () => {
    expect(releaseEnvOf(project({ preview_env_sealed: null, preview_build_env_sealed: null }), false, secrets)).toEqual({ env: {}, buildEnv: {} });
  });

  it('previewsInheritEnv: the project env with the preview env on top (a preview value wins)', () => {
    expect(releaseEnvOf(project({ previews_inherit_env: true }), false, secrets)).toEqual({
      env: { DATABASE_URL: 'postgres://prod', SHARED: 'preview', PREVIEW_ONLY: '1' },
      buildEnv: { NPM_TOKEN: 'preview-npm' },
    });
  });

  it('previewsInheritEnv changes nothing for a release', () => {
    expect(releaseEnvOf(project({ previews_inherit_env: true }), true, secrets).env).toEqual({ DATABASE_URL: 'postgres://prod', SHARED: 'prod' });
  });

  it("a value sealed for one lane does not open in the other's column (each is bound to its place)", () => {
    const moved = project({ env_sealed: project().preview_env_sealed });
    expect(() => releaseEnvOf(moved, true, secrets)).toThrow(expect.objectContaining({ code: 'SECRET_MISPLACED' }));
  });

  it('no project yet (its first deployment makes it): an empty env either way', () => {
    expect(releaseEnvOf(undefined, true, secrets)).toEqual({ env: {}, buildEnv: {} });
    expect(releaseEnvOf(undefined, false, secrets)).toEqual({ env: {}, buildEnv: {} });
  });
});

describe('releaseOf', () => {
  const row = { ...project(), name: 'shop', root_dir: '', port: 3000, health_path: '/' } as unknown as ProjectRow;
  const request = (promote: boolean) => ({ project: 'shop', source: { type: 'git' as const, gitUrl: 'https://example.com/a.git', ref: null }, env: { FROM_REQUEST: 'x' }, promote });

  it("a preview's snapshot is the preview env with the request's env on top", () => {
    expect(releaseOf(row, request(false), secrets, 3000)).toMatchObject({
      env: { SHARED: 'preview', PREVIEW_ONLY: '1', FROM_REQUEST: 'x' },
      buildEnv: { NPM_TOKEN: 'preview-npm' },
    });
  });

  it("a release's snapshot is the project env with the request's env on top", () => {
    expect(releaseOf(row, request(true), secrets, 3000).env).toEqual({ DATABASE_URL: 'postgres://prod', SHARED: 'prod', FROM_REQUEST: 'x' });
  });
});
