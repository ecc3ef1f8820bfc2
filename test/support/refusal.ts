import { DomainError } from '../../app/shared/errors.js';

/** Awaits a call that must be refused and returns the DomainError; any other outcome fails the test. */
export async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}
