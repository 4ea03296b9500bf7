import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { buildOpenApiDocument } from './openapi-document.ts';

const root = fileURLToPath(new URL('../../../', import.meta.url));
export const OPENAPI_SNAPSHOT = `${root}packages/client/openapi.json`;
export const TYPES_SNAPSHOT = `${root}packages/client/src/generated/api.ts`;

const TYPES_HEADER = `/**
 * Generated from packages/client/openapi.json by openapi-typescript (npm run openapi).
 * Do not edit: change the route schemas in apps/api and run the script again.
 */

`;

/** The committed contract and its types, as the routes produce them now. */
export async function renderOpenApiFiles(): Promise<{ document: string; types: string }> {
  const doc = await buildOpenApiDocument();
  const ast = await openapiTS(doc as never, { alphabetize: false });
  return { document: `${JSON.stringify(doc, null, 2)}\n`, types: TYPES_HEADER + astToString(ast) };
}
