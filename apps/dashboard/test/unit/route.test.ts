import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../src/route.ts';

describe('dashboard hash routes', () => {
  it('reads the pages of people: members, tokens, the audit log (optionally of one project), a one-time link', () => {
    expect(parseRoute('#/projects/shop')).toEqual({ page: 'project', name: 'shop' });
    expect(parseRoute('#/projects/shop/members')).toEqual({ page: 'members', name: 'shop' });
    expect(parseRoute('#/tokens')).toEqual({ page: 'tokens' });
    expect(parseRoute('#/audit')).toEqual({ page: 'audit' });
    expect(parseRoute('#/audit?project=my-shop')).toEqual({ page: 'audit', project: 'my-shop' });
    expect(parseRoute('#/setup/AbC-_09')).toEqual({ page: 'setup', token: 'AbC-_09' });
  });

  it('sends anything else to the deployments page', () => {
    for (const hash of ['', '#/', '#/projects/shop/members/x', '#/audit?actor=u1', '#/setup/', '#/setup/a b', '#/tokens/x']) {
      expect(parseRoute(hash), hash).toEqual({ page: 'deployments' });
    }
  });
});
