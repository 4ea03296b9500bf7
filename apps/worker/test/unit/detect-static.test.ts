import { describe, expect, it } from 'vitest';
import { detect, failure } from './detect-fixtures.ts';

// Build detection: static sites (served as files, with or without an SPA fallback).

describe('static sites', () => {
  it('index.html at the root, no package.json: served as files, no SPA fallback', () => {
    const plan = detect({ 'index.html': '', 'about.html': '' });
    expect(plan).toMatchObject({ kind: 'static', dir: '.', spa: false });
    expect(plan.detected[0]).toBe('static site: index.html at the root and no package.json');
  });

  it('public/index.html', () => {
    expect(detect({ 'public/index.html': '', 'README.md': '' })).toMatchObject({ kind: 'static', dir: 'public' });
  });

  it('spa and outputDir from berth.json', () => {
    expect(detect({ 'index.html': '', 'berth.json': { spa: true } })).toMatchObject({ kind: 'static', spa: true });
    expect(detect({ 'site/x': '', 'berth.json': { outputDir: 'site/' } })).toMatchObject({ kind: 'static', dir: 'site' });
  });

  it('a package.json wins over an index.html', () => {
    expect(detect({ 'package.json': { main: 'a.js' }, 'index.html': '' }).kind).toBe('node');
  });

  it('a Node project that builds and has no start command serves its build output', () => {
    const plan = detect({ 'package.json': { scripts: { build: 'vite build' }, devDependencies: { vite: '5', react: '18' } }, 'index.html': '' });
    expect(plan).toMatchObject({ kind: 'node-static', build: 'npm run build', outputDir: undefined, spa: true });
    expect(plan.detected).toContain('static site: built by npm run build into the first of dist/, build/, out/ it writes (no start command)');
  });

  it('SPA from the framework: CRA, a Vite plugin, a router; not Next, Astro', () => {
    const built = (deps: Record<string, string>) => detect({ 'package.json': { scripts: { build: 'b' }, dependencies: deps } });
    expect(built({ 'react-scripts': '5' })).toMatchObject({ spa: true });
    expect(built({ '@vitejs/plugin-vue': '5' })).toMatchObject({ spa: true });
    expect(built({ 'vue-router': '4' })).toMatchObject({ spa: true });
    expect(built({ next: '15', react: '18' })).toMatchObject({ spa: false });
    expect(built({ astro: '4', vite: '5' })).toMatchObject({ spa: false });
    expect(built({ lodash: '4' })).toMatchObject({ spa: false });
  });

  it('outputDir and spa from berth.json for a built site', () => {
    const plan = detect({ 'package.json': { scripts: { build: 'b' } }, 'berth.json': { outputDir: 'public/build', spa: false } });
    expect(plan).toMatchObject({ kind: 'node-static', outputDir: 'public/build', spa: false });
  });

  it('nothing detected: MISSING_DOCKERFILE saying what would be', () => {
    const err = failure({ 'index.js': '', 'README.md': '' });
    expect(err.code).toBe('MISSING_DOCKERFILE');
    expect(err.message).toMatch(/no Dockerfile, package.json, go.mod, Python project or index.html found/);
  });
});
