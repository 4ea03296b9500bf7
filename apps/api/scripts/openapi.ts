/**
 * Writes packages/client/openapi.json (what the routes describe) and the
 * TypeScript types generated from it (packages/client/src/generated/api.ts).
 * Run: npm run openapi. test/openapi-snapshot.test.ts fails when either is stale.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OPENAPI_SNAPSHOT, TYPES_SNAPSHOT, renderOpenApiFiles } from '../src/openapi-files.ts';

const files = await renderOpenApiFiles();
for (const [path, text] of [[OPENAPI_SNAPSHOT, files.document], [TYPES_SNAPSHOT, files.types]] as const) {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  console.log(`wrote ${path}`);
}
