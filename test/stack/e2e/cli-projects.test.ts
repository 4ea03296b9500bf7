import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { imageTag } from '@berth/shared/docker-names';
import { tarGzEntries } from '@berth/testing/archives';
import { request } from '@berth/testing/http';
import { waitFor } from '@berth/testing/ports';
import { docker } from '@berth/testing/stack';
import { berth, deploymentId, fails, git, ok, project, projectUrl, releaseDir, scratch, secret, serves, stack, useCliStack } from './cli-setup.ts';

// berth projects, env, deploy --project, rollback, promote, redeploy: one project through its whole life
// (the tests build on each other, in order).
useCliStack({ git: true });

describe('berth projects', () => {
  it('creates, lists and shows a project, and refuses bad names, duplicates and bad arguments', async () => {
    const created = await ok(['projects', 'create', project, '--health-path', '/healthz', '--port', '3000']);
    expect(created).toContain(`created ${project}  ${projectUrl(project)}`);
    expect(created).toMatch(/health path\s+\/healthz/);
    expect(await ok(['projects', 'list'])).toMatch(new RegExp(`${project}\\s+-\\s+-\\s+${projectUrl(project)}`));
    const shown = await ok(['projects', 'show', project]);
    expect(shown).toMatch(/current\s+none/);
    expect(shown).toContain('no releases yet');

    await fails(['projects', 'create', project], `409 CONFLICT: a project named ${project} exists already`);
    await fails(['projects', 'create', 'Not_A_Name'], '400 VALIDATION_FAILED');
    await fails(['projects', 'create', `${project}-h`, '--health-path', 'healthz'], '400 VALIDATION_FAILED');
    await fails(['projects', 'show', 'no-such-project'], '404 NOT_FOUND');
    await fails(['projects', 'rm', 'no-such-project'], '404 NOT_FOUND');
    await fails(['projects', 'create'], 'usage: berth projects create <name>');
    await fails(['projects', 'create', 'x-y', '--port', 'eighty'], '--port expects a number');
    await fails(['projects', 'create', 'x-y', '--colour', 'red'], 'unknown option --colour');
    await fails(['projects', 'frobnicate'], 'unknown subcommand "projects frobnicate"');
  });

  it('sets, lists and unsets env and build env by name, never printing a value', async () => {
    const set = await ok(['env', 'set', project, `SECRET_TOKEN=${secret}`, 'MODE=blue=green']);
    expect(set).toContain('set SECRET_TOKEN, MODE on');
    const setBuild = await ok(['env', 'set', project, '--build', 'NPM_TOKEN=build-secret']);
    expect(setBuild).toContain('(build env)');
    const ls = await ok(['env', 'ls', project]);
    expect(ls).toMatch(/env\s+MODE\nenv\s+SECRET_TOKEN\nbuild-env\s+NPM_TOKEN/);
    for (const out of [set, setBuild, ls]) {
      expect(out).not.toContain(secret);
      expect(out).not.toContain('blue');
      expect(out).not.toContain('build-secret');
    }
    const unset = await ok(['env', 'unset', project, 'MODE', 'NOT_THERE']);
    expect(unset).toContain('unset MODE on');
    expect(unset).toContain('NOT_THERE was not set');
    await ok(['env', 'unset', project, '--build', 'NPM_TOKEN']);
    expect(await ok(['env', 'ls', project])).toMatch(/^env\s+SECRET_TOKEN\n$/);

    // --preview: the env previews get, apart from the project's (issue 25).
    expect(await ok(['env', 'set', project, '--preview', 'MODE=preview-mode'])).toContain('(preview env)');
    expect(await ok(['env', 'ls', project, '--preview'])).toMatch(/^env\s+MODE\n$/);
    expect(await ok(['env', 'ls', project])).toMatch(/^env\s+SECRET_TOKEN\n$/);
    await ok(['env', 'unset', project, '--preview', 'MODE']);
    expect(await ok(['env', 'ls', project, '--preview'])).toContain('no env set');

    await fails(['env', 'set', project, 'NOEQUALS'], 'env set expects KEY=VALUE, got "NOEQUALS"');
    await fails(['env', 'set', project, '1BAD=x'], '400 VALIDATION_FAILED');
    await fails(['env', 'unset', project, 'A=b'], 'env unset takes names');
    await fails(['env', 'set', project], 'usage: berth env set');
    await fails(['env', 'ls', 'no-such-project'], '404 NOT_FOUND');
    await fails(['env', 'set', 'no-such-project', 'A=b'], '404 NOT_FOUND');
  });
});

describe('berth deploy --project, rollback, promote, redeploy', () => {
  const ids: Record<string, string> = {};

  it('deploys a folder as a release of the project: exit 0, the project URL, which serves it with the project env', async () => {
    const out = await ok(['deploy', releaseDir('v1'), '--project', project]);
    expect(out).toContain('uploading');
    for (const s of ['building', 'starting', 'running']) expect(out).toContain(`→ ${s}`);
    expect(out).toContain(`live  ${projectUrl(project)}`);
    expect(out).not.toContain(secret);
    ids.v1 = deploymentId(out);
    expect(JSON.parse(await serves(project, 'v1', '/info'))).toEqual({ version: 'v1', secret });

    const shown = await ok(['projects', 'show', project]);
    expect(shown).toMatch(new RegExp(`current\\s+${ids.v1} \\(running\\)`));
    expect(shown).toMatch(new RegExp(`\\*\\s+${ids.v1}\\s+running\\s+zip`));
    expect(shown).toMatch(/disk\s+images \d/);
  }, 180_000);

  it('rolls back to the previous release while it still drains (switched at once), and says how long it took', async () => {
    const out = await ok(['deploy', releaseDir('v2'), '--project', project, '--env', 'SECRET_TOKEN=overridden']);
    ids.v2 = deploymentId(out);
    expect(out).toContain(`live  ${projectUrl(project)}`);
    expect(out).not.toContain('overridden');
    expect(JSON.parse(await serves(project, 'v2', '/info'))).toEqual({ version: 'v2', secret: 'overridden' });

    const back = await ok(['rollback', project]);
    expect(back).toContain(`${ids.v1} is still running`);
    expect(back).toMatch(new RegExp(`rolled back  ${projectUrl(project)} serves ${ids.v1} after \\d+\\.\\ds`));
    await serves(project, 'v1');
    expect(await ok(['projects', 'list'])).toMatch(new RegExp(`${project}\\s+${ids.v1}\\s+running`));
  }, 180_000);

  it('rolls back to a stopped release by starting its kept image again, waiting until it serves', async () => {
    expect(await ok(['rm', ids.v2!])).toContain(`${ids.v2} stopped`);
    const back = await ok(['rollback', project, '--to', ids.v2!]);
    expect(back).toContain(`${ids.v2} is stopped: starting its image again as`);
    expect(back).toContain('→ running');
    expect(back).toMatch(new RegExp(`rolled back  ${projectUrl(project)} serves [a-z0-9]{12} \\(the image of ${ids.v2}\\) after \\d+\\.\\ds`));
    ids.v2again = /starting its image again as ([a-z0-9]{12})/.exec(back)![1]!;
    await serves(project, 'v2');
    expect(await ok(['projects', 'show', project])).toContain(`rollback to ${ids.v2}`);
  }, 180_000);

  it('deploys a preview that leaves the project URL alone, promotes it, then rolls back to a draining rollback release', async () => {
    const out = await ok(['deploy', releaseDir('v3'), '--project', project, '--preview']);
    const id = deploymentId(out);
    expect(out).toContain(`preview  http://${id}.localhost:${stack.caddy!.httpPort}`);
    expect(out).toContain(`berth promote ${id}`);
    const preview = await waitFor('preview url', async () => {
      const r = await request(`${stack.caddyUrl}/`, { host: `${id}.localhost` });
      return r.status === 200 ? r.body : undefined;
    });
    expect(preview).toBe('v3');
    expect((await request(`${stack.caddyUrl}/`, { host: `${project}.localhost` })).body).toBe('v2');

    expect(await ok(['promote', id])).toContain(`${project} now serves ${id}  ${projectUrl(project)}`);
    await serves(project, 'v3');
    ids.v3 = id;

    // Back to the rollback release, which still drains: a switch, no new deployment.
    const back = await ok(['rollback', project, '--to', ids.v2again!]);
    expect(back).toContain(`${ids.v2again} is still running: switching ${project} to it`);
    expect(back).not.toContain('→');
    expect(back).toMatch(new RegExp(`rolled back  ${projectUrl(project)} serves ${ids.v2again} after \\d+\\.\\ds`));
    await serves(project, 'v2');
  }, 180_000);

  it('redeploys a release from its kept archive and waits until it serves', async () => {
    const out = await ok(['redeploy', ids.v1!]);
    expect(out).toContain(`(the source of ${ids.v1} again)`);
    expect(out).toContain(`live  ${projectUrl(project)}`);
    ids.v1again = deploymentId(out);
    expect(ids.v1again).not.toBe(ids.v1);
    expect(JSON.parse(await serves(project, 'v1', '/info'))).toEqual({ version: 'v1', secret });
  }, 180_000);

  it('deploys from the project git settings, at its ref or the one given', async () => {
    const url = git.publish(`${project}-git`, releaseDir('g1'));
    const name = `${project}-git`;
    await ok(['projects', 'create', name, '--git', url, '--ref', 'main']);
    const out = await ok(['deploy', '--project', name]);
    expect(out).toContain(`live  ${projectUrl(name)}`);
    await serves(name, 'g1');
    const shown = await ok(['projects', 'show', name]);
    expect(shown).toContain(`${url} @ main`);
    expect(shown).toMatch(/running\s+git [0-9a-f]{10}/);

    const missing = await fails(['deploy', '--project', name, '--ref', 'no-such-branch'], /failed [A-Z_]+: /);
    expect(missing).toContain('→ failed');
    await serves(name, 'g1'); // still the release that worked
    expect(await ok(['projects', 'rm', name])).toMatch(new RegExp(`removed ${name}; stopped [a-z0-9]{12}`));
  }, 180_000);

  it('exits 1 with the code when a release fails to build or to answer its health path, and the project keeps serving', async () => {
    const out = await fails(['deploy', releaseDir('broken', 'RUN echo "compiling..." && exit 3\n'), '--project', project], /failed BUILD_FAILED: .*non-zero code: 3/);
    expect(out).toContain('compiling...');
    await serves(project, 'v1');

    // Built and started, but its health path answers 500: it never takes the project URL.
    const sick = await berth(['deploy', releaseDir('sick'), '--project', project, '--env', 'UNHEALTHY=1']);
    expect(sick.code, sick.out).toBe(1);
    expect(sick.out).toContain('→ starting');
    expect(sick.out).toMatch(/\nfailed [A-Z_]+: /);
    expect(sick.out).not.toContain('live  ');
    await serves(project, 'v1');
  }, 180_000);

  it('deploys a .tar.gz as a preview with its own env on top of the project preview env (never the production env)', async () => {
    const dir = releaseDir('v4');
    const archive = path.join(scratch, 'v4.tar.gz');
    writeFileSync(archive, await tarGzEntries(readdirSync(dir).map((name) => ({ name, content: readFileSync(path.join(dir, name), 'utf8') }))));
    const out = await ok(['deploy', archive, '--project', project, '--preview', '--env', 'SECRET_TOKEN=from-flag']);
    const id = deploymentId(out);
    expect(out).toContain(`preview  http://${id}.localhost:${stack.caddy!.httpPort}`);
    expect(out).not.toContain('from-flag');
    const info = await waitFor('tar.gz preview', async () => {
      const r = await request(`${stack.caddyUrl}/info`, { host: `${id}.localhost` });
      return r.status === 200 ? JSON.parse(r.body) : undefined;
    });
    expect(info).toEqual({ version: 'v4', secret: 'from-flag' });
    await serves(project, 'v1'); // a preview leaves the project URL alone
  }, 180_000);

  it('exits 1 with the code when a rollback cannot start its release (the image is gone), and the project keeps serving', async () => {
    await docker.getImage(imageTag(stack.instance, ids.v2!)).remove({ force: true, noprune: true });
    const out = await fails(['rollback', project, '--to', ids.v2!], /failed IMAGE_GONE: the image of/);
    expect(out).toContain(`${ids.v2} is stopped: starting its image again as`);
    await serves(project, 'v1');
    expect(await ok(['projects', 'list'])).toMatch(new RegExp(`${project}\\s+${ids.v1again}\\s+running`));
  }, 180_000);

  it('reports API errors as exit 1 with the code, and bad arguments with a usage line', async () => {
    const dir = releaseDir('never');
    await fails(['deploy', '--project', project], `400 SOURCE_MISSING: ${project} has no gitUrl`);
    await fails(['deploy', dir, '--project', 'no-such-project'], '404 NOT_FOUND: project no-such-project does not exist');
    await fails(['deploy', dir, '--project', project, '--port', '8080'], '--port is a project setting');
    await fails(['deploy', dir, '--project', project, '--ref', 'main'], '--ref applies to git deploys');
    await fails(['deploy', 'https://example.com/a.git', '--project', project], 'with --project, deploy a git repository');
    await fails(['deploy', path.join(scratch, 'nowhere'), '--project', project], 'does not exist');
    await fails(['deploy', dir, '--preview'], '--preview needs --project');
    await fails(['deploy', dir, '--project', project, '--env', 'NOPE'], '--env expects KEY=VALUE');
    await fails(['promote', 'nosuchdeploy'], '404 NOT_FOUND');
    await fails(['promote', ids.v2!], `409 CONFLICT: deployment ${ids.v2} is stopped`);
    await fails(['redeploy', 'nosuchdeploy'], '404 NOT_FOUND');
    await fails(['rollback', 'no-such-project'], '404 NOT_FOUND');
    await fails(['rollback', project, '--to', 'nosuchdeploy'], '404 NOT_FOUND');
    await fails(['rollback', project, '--to', ids.v1again!], `409 CONFLICT: ${project} already serves ${ids.v1again}`);
    await fails(['rollback'], 'usage: berth rollback <project>');
    await fails(['rollback', project, '--to'], '--to needs a value');
    await fails(['promote'], 'usage: berth promote <deploymentId>');
    await fails(['redeploy'], 'usage: berth redeploy <deploymentId>');
    const unknown = await berth(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.out).toContain('unknown command "frobnicate"');
  });

  it('lists every command in --help', async () => {
    const help = await ok(['--help']);
    for (const c of ['deploy [<dir|archive>] --project', 'redeploy <deploymentId>', 'promote <deploymentId>', 'rollback <project> [--to', 'projects create <name>', 'projects list | show <name> | rm <name>', 'env set <project>', 'env unset <project>', 'env ls <project>', 'domains add <project> <hostname>']) {
      expect(help).toContain(c);
    }
  });

  it('removes the project, stopping its releases', async () => {
    const out = await ok(['projects', 'rm', project]);
    expect(out).toMatch(new RegExp(`removed ${project}; stopped `));
    await fails(['projects', 'show', project], '404 NOT_FOUND');
    expect(await ok(['projects', 'list'])).not.toContain(`${project} `);
  }, 60_000);
});
