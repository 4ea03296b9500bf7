import type { FastifyRequest } from 'fastify';
import { describe, expect, it } from 'vitest';
import { csrfTokenFor } from '@berth/shared/accounts/session-store';
import { csrfRefusal } from '../../src/access/csrf.ts';
import { sessionCookie } from '../../src/access/credentials.ts';
import { declarationProblem } from '../../src/access/route-access.ts';

// The pieces of the access hook that need no database; test/stack/security/access-*.test.ts run the whole.
const request = (method: string, headers: Record<string, string>) => ({ method, headers }) as unknown as FastifyRequest;

describe('route declarations', () => {
  it('take a known action with a project source exactly when the action is project-wide', () => {
    expect(declarationProblem('public', undefined)).toBeUndefined();
    expect(declarationProblem('project.read', 'param')).toBeUndefined();
    expect(declarationProblem('instance.read', undefined)).toBeUndefined();
    expect(declarationProblem(undefined, undefined)).toMatch(/no config.action/);
    expect(declarationProblem('admin', undefined)).toMatch(/unknown action/); // the old scopes are not actions
    expect(declarationProblem('toString', undefined)).toMatch(/unknown action/);
    expect(declarationProblem('project.read', undefined)).toMatch(/config.project/);
    expect(declarationProblem('project.read', 'body')).toMatch(/config.project/);
    expect(declarationProblem('instance.read', 'param')).toMatch(/names a project source/);
    expect(declarationProblem('public', 'param')).toMatch(/public but/);
  });
});

describe('the CSRF check of cookie requests', () => {
  const secret = 'session-secret';
  const token = csrfTokenFor(secret);
  it('lets safe methods through and wants the token on the others', () => {
    for (const method of ['GET', 'HEAD', 'OPTIONS']) expect(csrfRefusal(request(method, {}), secret)).toBeUndefined();
    expect(csrfRefusal(request('POST', { host: 'berth.test', 'x-berth-csrf': token }), secret)).toBeUndefined();
    expect(csrfRefusal(request('POST', { host: 'berth.test' }), secret)).toMatch(/CSRF token/);
    expect(csrfRefusal(request('DELETE', { host: 'berth.test', 'x-berth-csrf': csrfTokenFor('another session') }), secret)).toMatch(/CSRF token/);
  });

  it('refuses a page of another origin, even with the token', () => {
    const headers = { host: 'berth.test', 'x-berth-csrf': token };
    expect(csrfRefusal(request('POST', { ...headers, origin: 'https://berth.test' }), secret)).toBeUndefined();
    expect(csrfRefusal(request('POST', { ...headers, origin: 'https://berth.test:443', host: 'berth.test:443' }), secret)).toBeUndefined();
    for (const origin of ['https://evil.test', 'https://berth.test.evil.test', 'null', 'https://berth.test:8443']) {
      expect(csrfRefusal(request('POST', { ...headers, origin }), secret), origin).toMatch(/another site/);
    }
  });
});

describe('the session cookie', () => {
  it('is read from among other cookies, and only by its exact name', () => {
    expect(sessionCookie('a=1; berth_session=abc-_9; b=2')).toBe('abc-_9');
    expect(sessionCookie('berth_session=%E0%A4%A')).toBe('%E0%A4%A'); // as sent; a bad escape throws nothing
    expect(sessionCookie('xberth_session=abc')).toBeUndefined();
    expect(sessionCookie('berth_session=')).toBeUndefined();
    expect(sessionCookie(undefined)).toBeUndefined();
  });
});
