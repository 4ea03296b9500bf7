import { describe, expect, it } from 'vitest';
import { branchSlug, previewLabel } from '../../src/branch-slug.ts';

describe('branch preview labels', () => {
  it('keeps a plain branch name, and marks a changed one with its hash so no two branches share a host', () => {
    expect(previewLabel('dev', 'shop')).toBe('dev--shop');
    const a = branchSlug('feature/Login', 'shop');
    const b = branchSlug('feature-login', 'shop');
    expect(b).toBe('feature-login');
    expect(a).toMatch(/^feature-login-[0-9a-f]{16}$/);
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

  it("a branch named like another branch's changed name gets a host of its own (issue 24, door 12)", () => {
    const changed = branchSlug('Feature-Login', 'shop');
    expect(changed).toMatch(/^feature-login-[0-9a-f]{16}$/);
    // Pushing a branch literally named `feature-login-<those digits>` once took that host.
    const impostor = branchSlug(changed, 'shop');
    expect(impostor).not.toBe(changed);
    expect(impostor).toMatch(new RegExp(`^${changed}-[0-9a-f]{16}$`));
    // Any name ending in a dash and 16 hex digits is changed; other plain names are kept.
    expect(branchSlug('release-0123456789abcdef', 'shop')).not.toBe('release-0123456789abcdef');
    expect(branchSlug('release-0123456789abcde', 'shop')).toBe('release-0123456789abcde');
    expect(branchSlug('fix-cafe', 'shop')).toBe('fix-cafe');
  });
});
