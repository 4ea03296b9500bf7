import { describe, expect, it } from 'vitest';
import { may } from '../../../src/accounts/policy.ts';
import {
  anonymousCaller,
  deployKeyCaller,
  grantRefusal,
  sessionCaller,
  tokenCaller,
  tokenState,
  type Person,
} from '../../../src/accounts/principal.ts';

const ann: Person = { id: 'usr_ann', email: 'ann@example.com', role: 'member', projects: new Map([['shop', 'deployer']]) };
const token = (over: Partial<Parameters<typeof tokenCaller>[0]> = {}) => ({
  id: 'tok_1',
  name: 'ci',
  scope: 'admin' as const,
  ownerUserId: null,
  projects: null,
  ...over,
});

describe('callers from credentials', () => {
  it('makes an instance token owner-level within its scope, named as a token in the audit log', () => {
    const caller = tokenCaller(token({ scope: 'deploy' }));
    expect(caller).toEqual({ principal: { kind: 'owner-token', scope: 'deploy' }, actor: { kind: 'token', id: 'tok_1', name: 'ci' } });
    expect(may(caller.principal, 'deployment.create', 'anything')).toBe('allow');
  });

  it('makes a personal token carry its owner\'s rights, its scope and its project list', () => {
    const caller = tokenCaller(token({ ownerUserId: 'usr_ann', projects: ['shop'] }), ann);
    expect(caller.principal).toEqual({ kind: 'personal-token', role: 'member', projects: ann.projects, scope: 'admin', limit: ['shop'] });
    expect(may(caller.principal, 'deployment.create', 'shop')).toBe('allow');
    expect(may(caller.principal, 'project.settings.update', 'shop')).toBe('forbidden');
    expect(() => tokenCaller(token({ ownerUserId: 'usr_ann' }))).toThrow(/needs its owner/);
    expect(() => tokenCaller(token({ ownerUserId: 'usr_bob' }), ann)).toThrow(/needs its owner/);
  });

  it('makes sessions, deploy keys and nobody', () => {
    expect(sessionCaller(ann)).toEqual({
      principal: { kind: 'user', role: 'member', projects: ann.projects },
      actor: { kind: 'user', id: 'usr_ann', name: 'ann@example.com' },
    });
    expect(deployKeyCaller({ id: 'dk_1', name: 'gh', project: 'shop' })).toEqual({
      principal: { kind: 'deploy-key', project: 'shop' },
      actor: { kind: 'deploy-key', id: 'dk_1', name: 'gh' },
    });
    expect(may(anonymousCaller.principal, 'project.read', 'shop')).toBe('unauthenticated');
  });

  it('tells a usable token from a revoked, expired or disabled-owner one', () => {
    const now = new Date('2026-12-06T12:00:00Z');
    const alive = { revokedAt: null, expiresAt: null };
    expect(tokenState(alive, undefined, now)).toBe('ok');
    expect(tokenState({ revokedAt: null, expiresAt: new Date('2026-12-07T00:00:00Z') }, { disabledAt: null }, now)).toBe('ok');
    expect(tokenState({ revokedAt: null, expiresAt: now }, undefined, now)).toBe('expired');
    expect(tokenState({ revokedAt: now, expiresAt: null }, undefined, now)).toBe('revoked');
    expect(tokenState(alive, { disabledAt: now }, now)).toBe('disabled');
  });
});

describe('granting personal tokens', () => {
  const annSession = sessionCaller(ann);
  it('lets a person make tokens up to any scope (the role still caps them) for projects they can see', () => {
    expect(grantRefusal(annSession, { scope: 'admin' })).toBeUndefined();
    expect(grantRefusal(annSession, { scope: 'deploy', projects: ['shop'] })).toBeUndefined();
    expect(grantRefusal(annSession, { scope: 'read', projects: ['shop', 'secret-project'] })).toEqual({
      decision: 'hidden',
      message: 'project secret-project does not exist',
    });
  });

  it('never lets a token hand out more scope than it holds, and lets no limited token or deploy key make tokens', () => {
    const deployToken = tokenCaller(token({ ownerUserId: 'usr_ann', scope: 'deploy' }), ann);
    expect(grantRefusal(deployToken, { scope: 'admin' })?.decision).toBe('forbidden');
    const limited = tokenCaller(token({ ownerUserId: 'usr_ann', projects: ['shop'] }), ann);
    expect(grantRefusal(limited, { scope: 'read', projects: ['shop'] })?.decision).toBe('forbidden');
    expect(grantRefusal({ principal: { kind: 'deploy-key', project: 'shop' } }, { scope: 'read' })?.decision).toBe('forbidden');
    expect(grantRefusal({ principal: { kind: 'owner-token', scope: 'admin' } }, { scope: 'admin', projects: ['any'] })).toBeUndefined();
  });

  it('never lets a token that expires make one that outlives it (or never expires)', () => {
    const ends = new Date('2030-01-01T00:00:00Z');
    const expiring = tokenCaller(token({ ownerUserId: 'usr_ann', expiresAt: ends }), ann);
    expect(expiring.expiresAt).toEqual(ends);
    expect(grantRefusal(expiring, { scope: 'read' })).toEqual({
      decision: 'forbidden',
      message: 'this token expires at 2030-01-01T00:00:00.000Z: a token it makes needs an expiresAt no later than that',
    });
    expect(grantRefusal(expiring, { scope: 'read', expiresAt: new Date('2030-01-01T00:00:01Z') })?.decision).toBe('forbidden');
    expect(grantRefusal(expiring, { scope: 'read', expiresAt: ends })).toBeUndefined();
    const instanceToken = tokenCaller(token({ expiresAt: ends }));
    expect(grantRefusal(instanceToken, { scope: 'read', expiresAt: new Date('2031-01-01T00:00:00Z') })?.decision).toBe('forbidden');
    // A token without an expiry, and a person signed in, make tokens of any lifetime.
    expect(grantRefusal(tokenCaller(token({ ownerUserId: 'usr_ann' }), ann), { scope: 'read' })).toBeUndefined();
    expect(grantRefusal(annSession, { scope: 'read' })).toBeUndefined();
  });
});
