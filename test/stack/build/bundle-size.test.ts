import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { dashboardDistDir } from '@berth/dashboard/dist-dir';

describe('the built dashboard', () => {
  it('loads at most 200 KB of gzip-compressed JavaScript, from its own origin only', () => {
    const html = readFileSync(path.join(dashboardDistDir, 'index.html'), 'utf8');
    // No inline script (the CSP forbids it) and nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    const assets = path.join(dashboardDistDir, 'assets');
    const scripts = readdirSync(assets).filter((f) => f.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    const gzipped = scripts.reduce((sum, f) => sum + gzipSync(readFileSync(path.join(assets, f)), { level: 9 }).length, 0);
    expect(gzipped).toBeLessThanOrEqual(200 * 1024);
  });
});
