import { expect, it } from 'vitest';
import { mountsOverlap } from '@berth/shared/volume-store';
import { mountPathProblem, volumeAddSchema } from '../../src/volume-input.ts';

it('accepts plain absolute mount paths outside the system folders', () => {
  for (const p of ['/data', '/srv/uploads', '/app/data', '/var/lib/app', '/home/node/.cache', '/tmp/x', '/data-1/a_b.c@d+e']) {
    expect(mountPathProblem(p), p).toBeUndefined();
  }
});

it('refuses relative, unnormalised, odd-character and system mount paths, each with a reason', () => {
  const refused = [
    'data', './data', '/', '//data', '/data//x', '/data/', '/data/.', '/data/..', '/a/../etc', '/./etc', '/etc', '/etc/ssl',
    '/proc', '/proc/1/root', '/sys/fs', '/dev', '/dev/shm', '/usr', '/usr/local', '/bin', '/sbin', '/lib', '/lib64', '/boot',
    '/run', '/run/secrets', '/var/run', '/var/run/docker.sock', '/app', '/var', '/root', '/da ta', '/data:ro', '/data,ro', '/data\n',
    '/data\0', '/d\u00e4ta', '/$HOME', '/data;rm',
  ];
  for (const p of refused) expect(mountPathProblem(p), JSON.stringify(p)).toMatch(/./);
});

it('checks names and refuses unknown keys', () => {
  const ok = (name: string) => volumeAddSchema.safeParse({ name, mountPath: '/data' }).success;
  expect(['data', 'a', 'a-1', 'x'.repeat(32), '0data'].every(ok)).toBe(true);
  expect(['', 'Data', '-a', 'a-', 'a_b', 'a.b', 'x'.repeat(33), '../a', 'a/b', ' a'].some(ok)).toBe(false);
  expect(volumeAddSchema.safeParse({ name: 'data', mountPath: '/data', driver: 'local' }).success).toBe(false);
});

it('finds mounts that would hide each other', () => {
  expect(mountsOverlap('/data', '/data')).toBe(true);
  expect(mountsOverlap('/data', '/data/sub')).toBe(true);
  expect(mountsOverlap('/data/sub', '/data')).toBe(true);
  expect(mountsOverlap('/data', '/data2')).toBe(false);
  expect(mountsOverlap('/a/b', '/a/c')).toBe(false);
});
