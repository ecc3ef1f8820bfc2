import { DomainError } from '../../app/shared/errors.js';

/**
 * Awaits a call that must be refused and returns the error of the expected kind (a DomainError unless told);
 * any other outcome fails the test.
 */
export async function refusal<E extends Error = DomainError>(
  promise: Promise<unknown>,
  kind: abstract new (...args: never[]) => E = DomainError as unknown as abstract new (...args: never[]) => E,
): Promise<E> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof kind) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}
