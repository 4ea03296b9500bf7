import { spawnSync } from 'node:child_process';

/**
 * Fails the calling test, naming the tool, when a program it needs is not on PATH. A test never
 * skips for a missing tool: a skipped check passes silently on the machine that lacks it.
 */
export function requireTool(tool: string, install: string): void {
  if (spawnSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' }).status === 0) return;
  throw new Error(`this test needs \`${tool}\`, which is not on PATH; install it (${install})`);
}
