import { readFileSync, writeFileSync } from 'node:fs';
import Fastify from 'fastify';
import { expect, it } from 'vitest';
import { installOpenApi } from '../../src/openapi.ts';
import { OPENAPI_SNAPSHOT, TYPES_SNAPSHOT, renderOpenApiFiles } from '../../src/openapi-files.ts';

it('the committed contract and client types are what the routes produce (npm run openapi updates both)', async () => {
  const { document, types } = await renderOpenApiFiles();
  // UPDATE_OPENAPI=1 rewrites them after an intended route change; review their diff like code.
  if (process.env.UPDATE_OPENAPI) {
    writeFileSync(OPENAPI_SNAPSHOT, document);
    writeFileSync(TYPES_SNAPSHOT, types);
  }
  expect(document, 'packages/client/openapi.json is stale: npm run openapi').toBe(readFileSync(OPENAPI_SNAPSHOT, 'utf8'));
  expect(types, 'packages/client/src/generated/api.ts is stale: npm run openapi').toBe(readFileSync(TYPES_SNAPSHOT, 'utf8'));
});

it('a route without an entry in openapi-operations.ts stops the app from starting', async () => {
  const app = Fastify();
  await installOpenApi(app);
  expect(() => app.get('/api/unnamed', async () => ({}))).toThrow('route GET /api/unnamed has no entry in openapi-operations.ts');
  await app.close();
});
