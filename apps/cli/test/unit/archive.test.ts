import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import unzipper from 'unzipper';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { zipDirectory } from '../../src/archive.ts';

let scratch: string;
let dir: string;
beforeEach(() => {
  scratch = mkdtempSync(path.join(os.tmpdir(), 'berth-cli-zip-'));
  dir = path.join(scratch, 'app');
  mkdirSync(path.join(dir, 'public'), { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{}');
  writeFileSync(path.join(dir, 'public', 'index.html'), 'hi');
});
afterEach(() => rmSync(scratch, { recursive: true, force: true }));

/** The zip's entries: name → the link target for links, the content for files, '/' for folders. */
async function entries(zip: Buffer): Promise<Record<string, string>> {
  const directory = await unzipper.Open.buffer(zip);
  const out: Record<string, string> = {};
  for (const f of directory.files) {
    const isLink = ((f.externalFileAttributes >>> 16) & 0o170000) === 0o120000;
    out[f.path] = f.type === 'Directory' ? '/' : `${isLink ? 'link:' : ''}${(await f.buffer()).toString()}`;
  }
  return out;
}

describe('zipDirectory packs links as links', () => {
  it('keeps links to a file and to folders inside, relative to where they sit, without following them', async () => {
    symlinkSync('index.html', path.join(dir, 'public', 'home.html'));
    symlinkSync(path.join(dir, 'public'), path.join(dir, 'site')); // absolute, but inside
    symlinkSync('..', path.join(dir, 'public', 'up')); // a parent: followed, the walk would never end
    symlinkSync('.', path.join(dir, 'self'));
    expect(await entries(await zipDirectory(dir))).toEqual({
      'package.json': '{}',
      'public/index.html': 'hi',
      'public/home.html': 'link:index.html',
      'public/up': 'link:..',
      'site': 'link:public',
      'public/': '/',
      'self': 'link:.',
    });
  });

  it('refuses a link that leads outside the folder, naming it, and never reads its target', async () => {
    const secret = path.join(scratch, 'credentials');
    writeFileSync(secret, 'aws_secret_access_key=abc');
    symlinkSync(secret, path.join(dir, 'public', 'x'));
    await expect(zipDirectory(dir)).rejects.toThrow(`${path.join(dir, 'public', 'x')} -> ${secret}: the symbolic link leads outside ${dir}`);
  });

  it('refuses a relative link that climbs out, and one through another link', async () => {
    symlinkSync('../../credentials', path.join(dir, 'public', 'x'));
    writeFileSync(path.join(scratch, 'credentials'), 'secret');
    await expect(zipDirectory(dir)).rejects.toThrow('leads outside');
    rmSync(path.join(dir, 'public', 'x'));
    symlinkSync('.', path.join(dir, 'b'));
    symlinkSync('b/..', path.join(dir, 'a'));
    await expect(zipDirectory(dir)).rejects.toThrow(`${path.join(dir, 'a')} -> b/..: the symbolic link leads outside`);
  });

  it('refuses a link that loops or points at nothing, or into what is not uploaded', async () => {
    symlinkSync('loop', path.join(dir, 'loop'));
    await expect(zipDirectory(dir)).rejects.toThrow(`${path.join(dir, 'loop')} -> loop: the symbolic link loops`);
    rmSync(path.join(dir, 'loop'));
    symlinkSync('missing', path.join(dir, 'gone'));
    await expect(zipDirectory(dir)).rejects.toThrow('points at nothing');
    rmSync(path.join(dir, 'gone'));
    mkdirSync(path.join(dir, '.git'));
    writeFileSync(path.join(dir, '.git', 'config'), '[core]');
    symlinkSync('.git/config', path.join(dir, 'gitconfig'));
    await expect(zipDirectory(dir)).rejects.toThrow('points into .git, which is not uploaded');
  });
});

describe('zipDirectory keeps file modes', () => {
  it("packs each file's mode, so an executable start.sh is executable in the zip (the worker keeps only that bit)", async () => {
    writeFileSync(path.join(dir, 'start.sh'), '#!/bin/sh\n');
    chmodSync(path.join(dir, 'start.sh'), 0o755);
    chmodSync(path.join(dir, 'package.json'), 0o644);
    const directory = await unzipper.Open.buffer(await zipDirectory(dir));
    const mode = (name: string) => (directory.files.find((f) => f.path === name)!.externalFileAttributes >>> 16) & 0o777;
    expect(mode('start.sh')).toBe(0o755);
    expect(mode('package.json')).toBe(0o644);
  });
});
