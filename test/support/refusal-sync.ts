import { DomainError } from '../../app/shared/errors.js';

/** Runs a call that must throw a DomainError and returns it; any other outcome fails the test. */
export function refusalSync(call: () => unknown): DomainError {
  try {
    call();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the call to be refused');
}
