import { BerthError } from '../errors.ts';

/** Where a page of search results ended: the last line's time (µs), deployment and seq. */
export interface SearchCursor {
  micros: string;
  deploymentId: string;
  seq: string;
}

/** Opaque to clients: base64url of `micros.deployment.seq`. */
export function encodeCursor(cursor: SearchCursor): string {
  return Buffer.from(`${cursor.micros}.${cursor.deploymentId}.${cursor.seq}`).toString('base64url');
}

export function decodeCursor(text: string): SearchCursor {
  const match = /^(\d{1,20})\.([a-z0-9-]{1,64})\.(\d{1,20})$/.exec(Buffer.from(text, 'base64url').toString('utf8'));
  if (!match) throw new BerthError('VALIDATION_FAILED', '`before` is not a cursor this search returned');
  return { micros: match[1]!, deploymentId: match[2]!, seq: match[3]! };
}
