import { describe, expect, it } from 'vitest';
import { changedFilesOf } from '../../src/push-changes.ts';

const commit = (added: string[], modified: string[] = [], removed: string[] = []) => ({ id: 'x', added, modified, removed });

describe("a push's changed files", () => {
  it('are the union of every commit’s added, modified and removed files', () => {
    const files = changedFilesOf('github', { commits: [commit(['a/x']), commit([], ['b/y'], ['a/x', 'c/z'])] });
    expect(files?.sort()).toEqual(['a/x', 'b/y', 'c/z']);
    expect(changedFilesOf('generic', { changedFiles: ['apps/web/a.ts'] })).toEqual(['apps/web/a.ts']);
  });

  it('are unknown (so the push builds) when the payload cannot tell them all', () => {
    expect(changedFilesOf('github', { commits: [] })).toBeUndefined(); // a new branch, a force push back
    expect(changedFilesOf('github', {})).toBeUndefined();
    expect(changedFilesOf('gitlab', { commits: [commit(['a'])], total_commits_count: 25 })).toBeUndefined();
    expect(changedFilesOf('gitea', { commits: [commit(['a'])], total_commits: 2 })).toBeUndefined();
    expect(changedFilesOf('github', { commits: [{ id: 'x', added: ['a'] }] })).toBeUndefined();
    expect(changedFilesOf('generic', { sha: 'x' })).toBeUndefined();
    expect(changedFilesOf('generic', { changedFiles: ['a', 3] })).toBeUndefined();
  });
});
