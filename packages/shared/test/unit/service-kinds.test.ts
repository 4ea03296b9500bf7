import { expect, it } from 'vitest';
import { imageVersion, imageWithVersion, serviceKinds } from '../../src/service-kinds.ts';

it('replaces the tag of an image, never a registry port, and reads it back', () => {
  expect(imageWithVersion('postgres:16', '15')).toBe('postgres:15');
  expect(imageWithVersion('redis', '7.2')).toBe('redis:7.2');
  expect(imageWithVersion('registry.local:5000/db/postgres', '16')).toBe('registry.local:5000/db/postgres:16');
  expect(imageWithVersion('registry.local:5000/db/postgres:14', '16')).toBe('registry.local:5000/db/postgres:16');
  expect(imageVersion('berth/postgres:15')).toBe('15');
  expect(imageVersion('registry.local:5000/redis')).toBe('latest');
});

it('gives each kind a URL to its name on the project network, the password encoded', () => {
  expect(serviceKinds.postgres.url('db', 'p/w@x')).toBe('postgres://berth:p%2Fw%40x@db:5432/berth');
  expect(serviceKinds.redis.url('cache', 'pw')).toBe('redis://default:pw@cache:6379');
  // The password reaches Redis as an argument, never through a shell.
  expect(serviceKinds.redis.command('a b;c')).toContain('a b;c');
});
