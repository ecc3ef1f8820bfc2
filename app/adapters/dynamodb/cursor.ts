import { DomainError } from '../../shared/errors.js';

/** Pagination cursors are opaque to clients but validated on the way back: a forged cursor cannot read another
 * user's partition. */
export function encodeCursor(lastKey: Record<string, unknown>): string {
  return Buffer.from(JSON.stringify(lastKey)).toString('base64url');
}

export function decodeCursor(cursor: string, expectedPartition: string): Record<string, unknown> {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      typeof key === 'object' &&
      key !== null &&
      (key as Record<string, unknown>).gsi1pk === expectedPartition &&
      Object.values(key).every((v) => typeof v === 'string') &&
      Object.keys(key).length <= 4
    ) {
      return key as Record<string, unknown>;
    }
  } catch {
    // fall through to the clear error below
  }
  throw new DomainError('VALIDATION_FAILED', 'The page cursor is not valid.', { field: 'cursor' });
}
