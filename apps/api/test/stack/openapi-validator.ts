import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { OPENAPI_SNAPSHOT } from '../../src/openapi-files.ts';

interface MediaType {
  schema?: Record<string, unknown>;
}
interface Operation {
  operationId: string;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components: Record<string, unknown>;
}

export interface Answer {
  status: number;
  contentType: string;
  /** The parsed JSON body, when the answer is JSON. */
  body?: unknown;
  /** The answer has no body at all (then its media type does not matter). */
  empty?: boolean;
}

/**
 * Checks real answers against the committed contract: the status must be
 * documented (exactly or as its class, 4XX), the media type must be one the
 * document lists, and a JSON body must match its schema (JSON Schema 2020-12,
 * with the document's components for references).
 */
export class ContractValidator {
  readonly doc: OpenApiDocument = JSON.parse(readFileSync(OPENAPI_SNAPSHOT, 'utf8'));
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false });

  operation(method: string, path: string): Operation | undefined {
    return this.doc.paths[path]?.[method.toLowerCase()];
  }

  /** Problems with one answer (empty when it matches the contract). */
  check(method: string, path: string, answer: Answer): string[] {
    const op = this.operation(method, path);
    if (!op) return [`${method} ${path} is not in the document`];
    const documented = op.responses[String(answer.status)] ?? op.responses[`${String(answer.status)[0]}XX`];
    if (!documented) return [`status ${answer.status} is not documented (has ${Object.keys(op.responses).join(', ')})`];
    const mediaType = answer.contentType.split(';')[0]!.trim();
    const content = documented.content;
    if (!content) return answer.empty ? [] : [`status ${answer.status} documents no body, but one came`];
    const media = content[mediaType];
    if (!media) return [`media type ${mediaType} is not documented for ${answer.status} (has ${Object.keys(content).join(', ')})`];
    if (!media.schema || mediaType !== 'application/json') return [];
    // The document's components travel with the schema, so `#/components/...` references resolve.
    const validate = this.ajv.compile({ ...media.schema, components: this.doc.components });
    if (validate(answer.body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '(body)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
  }
}
