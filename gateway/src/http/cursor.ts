/**
 * Opaque pagination cursors. A cursor wraps the chaincode's bookmark so clients cannot depend on
 * its format (Fabric's bookmark is the next unreturned key, which would leak our key layout).
 */
import { HttpProblem } from '../errors/problem';

const PREFIX = 'c1.';
/** Longest bookmark the chaincode accepts (chaincode/src/shared/schemas.ts `Bookmark`). */
const MAX_BOOKMARK = 1024;

/** Encodes a chaincode bookmark; an empty bookmark means "no more pages" and yields undefined. */
export function encodeCursor(bookmark: string | undefined): string | undefined {
  if (bookmark === undefined || bookmark === '') return undefined;
  return PREFIX + Buffer.from(bookmark, 'utf8').toString('base64url');
}

/** Decodes a cursor from a client; anything we did not issue is a 400 `INVALID_CURSOR`. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined || cursor === '') return undefined;
  const body = cursor.startsWith(PREFIX) ? cursor.slice(PREFIX.length) : undefined;
  if (body === undefined || !/^[A-Za-z0-9_-]+$/.test(body)) throw invalid();
  const bookmark = Buffer.from(body, 'base64url').toString('utf8');
  // Round-trip check rejects non-canonical base64 and bytes that are not valid UTF-8.
  if (Buffer.from(bookmark, 'utf8').toString('base64url') !== body || bookmark.length > MAX_BOOKMARK) throw invalid();
  return bookmark;
}

function invalid(): HttpProblem {
  return new HttpProblem('INVALID_CURSOR', 'The cursor is not one this API issued', {}, [
    { pointer: '/querystring/cursor', detail: 'invalid cursor' },
  ]);
}
