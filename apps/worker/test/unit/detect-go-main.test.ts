import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { BuildPlan } from '../../src/build/detect-build.ts';
import { generateDockerfile } from '../../src/build/generated-dockerfile.ts';
import { readSourceFiles } from '../../src/build/generated-build.ts';
import { packageName } from '../../src/build/go-packages.ts';
import { detect, failure } from './detect-fixtures.ts';

// Go modules whose program is in ./cmd/<name>: which main package detection builds, and why.

const goMod = 'module example.com/tool\n\ngo 1.19\n';
const go = (plan: BuildPlan) => {
  if (plan.kind !== 'go') throw new Error(`expected a Go app, got ${plan.kind}`);
  return plan;
};

describe('Go main package', () => {
  it('one cmd/<name> and no .go file at the root: builds ./cmd/<name>', () => {
    const plan = go(detect({ 'go.mod': goMod, 'cmd/api/main.go': 'package main', 'internal/x.go': 'package x' }));
    expect(plan.main).toBe('./cmd/api');
    expect(plan.detected).toContain('main package: ./cmd/api (the only folder under cmd/ with .go files; no .go file at rootDir)');
    expect(generateDockerfile(plan)).toContain("go build -trimpath -ldflags='-s -w' -o /berth-app ./cmd/api && printf");
  });

  it('a library at the root (package tool) and one cmd/<name>: builds the command, not the library', () => {
    const plan = go(detect({ 'go.mod': goMod, 'tool.go': '// Package tool does things.\npackage tool\n', 'cmd/tool/main.go': 'package main' }));
    expect(plan.main).toBe('./cmd/tool');
    expect(plan.detected).toContain('main package: ./cmd/tool (the only folder under cmd/ with .go files; the package at rootDir is a library)');
  });

  it('package main at the root wins over cmd/ folders', () => {
    const plan = go(detect({ 'go.mod': goMod, 'main.go': '/* licence */\npackage main', 'cmd/a/a.go': '', 'cmd/b/b.go': '' }));
    expect(plan.main).toBe('.');
  });

  it('several cmd/<name> and no choice: AMBIGUOUS_GO_MAIN naming them; goMain in berth.json chooses', () => {
    const files = { 'go.mod': goMod, 'cmd/api/main.go': 'package main', 'cmd/worker/main.go': 'package main', 'cmd/worker/main_test.go': '' };
    const err = failure(files);
    expect(err.code).toBe('AMBIGUOUS_GO_MAIN');
    expect(err.message).toBe(
      'which program to build? no .go file at rootDir, and cmd/ has 2: ./cmd/api, ./cmd/worker; name one as "goMain" in berth.json (or add a Dockerfile)',
    );
    const plan = go(detect({ ...files, 'berth.json': { goMain: 'cmd/worker/' } }));
    expect(plan.main).toBe('./cmd/worker');
    expect(plan.detected).toContain('main package: ./cmd/worker (goMain in berth.json)');
  });

  it('no main package anywhere: NO_START_COMMAND; a goMain outside rootDir or with shell words is refused', () => {
    expect(failure({ 'go.mod': goMod, 'lib.go': 'package lib' }).message).toMatch(/no main package \(the package at rootDir is a library/);
    expect(failure({ 'go.mod': goMod, 'cmd/only_test.go': '' }).code).toBe('NO_START_COMMAND');
    for (const goMain of ['../other', './cmd/a b', './cmd/$(id)', '/abs', './cmd/a;rm', '.hidden']) {
      expect(failure({ 'go.mod': goMod, 'berth.json': { goMain } }).code, goMain).toBe('INVALID_BUILD_CONFIG');
    }
  });

  it('goMain is for Go only', () => {
    expect(failure({ 'main.py': '', 'berth.json': { goMain: './cmd/a' } }).code).toBe('INVALID_BUILD_CONFIG');
  });

  it('package clauses: comments skipped, none found is undefined', () => {
    expect(packageName('// package fake\n/* package fake2 */\npackage real // trailing')).toBe('real');
    expect(packageName('')).toBeUndefined();
  });
});

describe('reading a context for Go', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'berth-go-main-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds cmd/<name> folders with .go files, skips links, odd names and test-only folders; reads root package clauses', async () => {
    const write = (rel: string, text = 'package main\n') => {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    };
    write('go.mod', goMod);
    write('tool.go', 'package tool\n');
    write('cmd/api/main.go');
    write('cmd/tests/x_test.go');
    write('cmd/a b/main.go');
    write('cmd/_skip/main.go');
    mkdirSync(path.join(dir, 'elsewhere'));
    write('elsewhere/main.go');
    symlinkSync(path.join(dir, 'elsewhere'), path.join(dir, 'cmd/linked'));
    expect((await readSourceFiles(dir)).go).toEqual({ root: 'library', cmdDirs: ['cmd/api'] });
  });
});
