import { describe, expect, it } from 'vitest';
import { branchSlug, previewLabel } from '../../src/branch-slug.ts';

describe('branch preview labels', () => {
  it('keeps a plain branch name, and marks a changed one with its hash so no two branches share a host', () => {
    expect(previewLabel('dev', 'shop')).toBe('dev--shop');
    const a = branchSlug('feature/Login', 'shop');
    const b = branchSlug('feature-login', 'shop');
    expect(b).toBe('feature-login');
    expect(a).toMatch(/^feature-login-[0-9a-f]{6}$/);
    expect(a).not.toBe(b);
    const long1 = 'renovate/' + 'x'.repeat(80) + '-1';
    const long2 = 'renovate/' + 'x'.repeat(80) + '-2';
    expect(branchSlug(long1, 'shop')).not.toBe(branchSlug(long2, 'shop'));
    for (const branch of [long1, 'feature/Login', '---', 'a--b', 'UPPER']) {
      const label = previewLabel(branch, 'a-project-name-of-forty-characters-xxxxx');
      expect(label.length, branch).toBeLessThanOrEqual(63);
      expect(label).toMatch(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/);
      expect(label.split('--')).toHaveLength(2); // the slug itself never holds `--`
    }
  });
});
