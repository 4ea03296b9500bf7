import { describe, expect, it } from 'vitest';
import { fails, ok, project, stack, useCliStack } from './cli-setup.ts';

useCliStack();

describe('berth domains', () => {
  it('adds, lists and removes a custom hostname; refuses a bad, a taken and an unknown one', async () => {
    const name = `${project}-dom`;
    const other = `${project}-other`;
    await ok(['projects', 'create', name]);
    await ok(['projects', 'create', other]);
    expect(await ok(['domains', 'ls', name])).toContain('no domains on');
    const httpsPort = stack.env.PUBLIC_HTTPS_PORT === '443' ? '' : `:${stack.env.PUBLIC_HTTPS_PORT}`;
    const added = await ok(['domains', 'add', name, `${name}.example.com`]);
    expect(added).toContain(`added ${name}.example.com to ${name}  https://${name}.example.com${httpsPort}`);
    // Pending until proven (issue 24): the record to create and the command that checks it.
    expect(added).toMatch(new RegExp(`pending: create a DNS TXT record _berth-challenge\\.${name}\\.example\\.com with the value [0-9a-f]{32}`));
    expect(added).toContain(`berth domains verify ${name} ${name}.example.com`);
    await fails(['domains', 'verify', name, 'never-added.example.com'], '404 NOT_FOUND');
    await fails(['domains', 'verify', name], 'usage: berth domains');
    expect(await ok(['domains', 'ls', name])).toMatch(new RegExp(`${name}\\.example\\.com\\s+https://${name}\\.example\\.com\\S*\\s+pending`));
    expect(await ok(['projects', 'show', name])).toMatch(new RegExp(`domains\\s+${name}\\.example\\.com`));
    // Changed on purpose (issue 24): a pending name blocks no other project (squatting); the same project twice is still 409.
    await fails(['domains', 'add', name, `${name}.example.com`], '409 CONFLICT');
    expect(await ok(['domains', 'add', other, `${name}.example.com`])).toContain(`added ${name}.example.com to ${other}`);
    await fails(['domains', 'add', name, 'not a hostname'], '400 VALIDATION_FAILED');
    await fails(['domains', 'add', name, `x.localhost`], '400 VALIDATION_FAILED');
    await fails(['domains', 'add', 'no-such-project', 'x.example.com'], '404 NOT_FOUND');
    expect(await ok(['domains', 'rm', name, `${name}.example.com`])).toContain(`removed ${name}.example.com from ${name}`);
    await fails(['domains', 'rm', name, `${name}.example.com`], '404 NOT_FOUND');
    await fails(['domains', 'add', name], 'usage: berth domains');
    await fails(['domains', 'ls', 'no-such-project'], '404 NOT_FOUND');
    await fails(['domains', 'park', name], 'unknown subcommand "domains park"');
    await ok(['projects', 'rm', name]);
    await ok(['projects', 'rm', other]);
  });

  it('berth services: adds, lists and removes a service; refuses bad input (issue 29; running ones: services.test.ts)', async () => {
    const name = `${project}-svc`;
    await ok(['projects', 'create', name]);
    expect(await ok(['services', 'ls', name])).toContain('no services on');
    expect(await ok(['services', 'add', name, 'redis', '--name', 'cache', '--env-name', 'CACHE_URL'])).toContain(`added cache (redis 7) to ${name}: its apps get CACHE_URL`);
    expect(await ok(['services', 'ls', name])).toMatch(/cache\s+redis 7\s+CACHE_URL\s+\S+/);
    await fails(['services', 'add', name, 'mysql'], 'usage: berth services');
    await fails(['services', 'add', name, 'redis', '--name', 'Bad!'], '400 VALIDATION_FAILED');
    await fails(['services', 'add', name, 'redis', '--name', 'cache'], '409 CONFLICT');
    expect(await ok(['services', 'rm', name, 'cache'])).toContain('its data stays on volume');
    await fails(['services', 'rm', name, 'nope', '--delete-data'], '404 NOT_FOUND');
    await ok(['projects', 'rm', name]);
  }, 180_000);
});
