import { lstat, open, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { GoPackages } from './build-plan.ts';

/** A folder name Go builds (not `.hidden` or `_ignored`) that is also safe in a generated shell command. */
const plainDirName = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** Enough of a file to find its package clause after a licence header. */
const headBytes = 16 * 1024;

/**
 * A Go module's main packages, for detection: whether the .go files at the
 * root are `package main` (a library's root is not), and which `cmd/<name>`
 * folders hold a .go file. Links are never followed.
 */
export async function readGoPackages(contextDir: string, topLevel: ReadonlySet<string>): Promise<GoPackages> {
  const rootSources = [...topLevel].filter(isGoSource);
  const clauses = await Promise.all(rootSources.map((name) => packageClause(path.join(contextDir, name))));
  const cmdDirs: string[] = [];
  const cmd = path.join(contextDir, 'cmd');
  if (topLevel.has('cmd') && (await lstat(cmd)).isDirectory()) {
    for (const entry of (await readdir(cmd, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
      if (!entry.isDirectory() || !plainDirName.test(entry.name)) continue;
      const inside = await readdir(path.join(cmd, entry.name), { withFileTypes: true });
      if (inside.some((f) => f.isFile() && isGoSource(f.name))) cmdDirs.push(`cmd/${entry.name}`);
    }
  }
  return { root: rootKind(clauses), cmdDirs };
}

/** `main` when a root file says so, or none says anything (go build then says what is wrong); `library` otherwise. */
export function rootKind(clauses: readonly (string | undefined)[]): GoPackages['root'] {
  if (clauses.length === 0) return 'none';
  if (clauses.includes('main') || clauses.every((c) => c === undefined)) return 'main';
  return 'library';
}

/** The package a Go source declares (`package foo`), skipping comments; undefined when it has none. */
export function packageName(text: string): string | undefined {
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/[^\n]*/g, '');
  return /^\s*package\s+([A-Za-z_][A-Za-z0-9_]*)/m.exec(code)?.[1];
}

function isGoSource(name: string): boolean {
  return name.endsWith('.go') && !name.endsWith('_test.go');
}

async function packageClause(file: string): Promise<string | undefined> {
  const info = await lstat(file);
  if (!info.isFile()) return undefined;
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(headBytes), 0, headBytes, 0);
    return packageName(buffer.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}
