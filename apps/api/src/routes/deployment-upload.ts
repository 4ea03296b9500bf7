import type { FastifyRequest } from 'fastify';
import type { MultipartFile } from '@fastify/multipart';
import { BerthError } from '@berth/shared/errors';
import { parseFields, type DeploymentFields } from '../deployment-input.ts';

export interface DeploymentUpload {
  fields: DeploymentFields;
  archive: { data: Buffer; filename: string } | undefined;
}

/** A multipart deployment: the same fields as the JSON body (env as a JSON string), plus `projectArchive`. */
export async function readMultipart(request: FastifyRequest): Promise<DeploymentUpload> {
  const raw: Record<string, unknown> = {};
  let archive: { data: Buffer; filename: string } | undefined;
  for await (const part of request.parts()) {
    if (part.type === 'file') {
      const file = part as MultipartFile;
      if (file.fieldname !== 'projectArchive' || archive) {
        file.file.resume();
        throw new BerthError('VALIDATION_FAILED', `unexpected file field "${file.fieldname}"; use projectArchive`);
      }
      archive = { data: await file.toBuffer(), filename: file.filename };
      continue;
    }
    const value = String(part.value);
    if (part.fieldname === 'env') {
      try {
        raw.env = JSON.parse(value);
      } catch {
        throw new BerthError('VALIDATION_FAILED', 'env must be a JSON object of strings');
      }
    } else {
      raw[part.fieldname] = value;
    }
  }
  return { fields: parseFields(raw), archive };
}
