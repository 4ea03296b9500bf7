import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The checkout's root (this file is packages/testing/src/paths.ts): tests find scripts, test-apps and configs from it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
