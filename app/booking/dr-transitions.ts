import type { EpochMs } from '../shared/time.js';
import { DrTransitionRefused, type DrState } from './dr.js';

/**
 * The DR state machine as pure functions: inactive → active(since) → failing back → inactive. The file store applies
 * them directly; the DynamoDB store encodes the same rules as condition expressions (adapters/dr/dynamo-dr-state.ts).
 */
export function activated(current: DrState, since: EpochMs): DrState {
  // A second activation (another alarm, a re-run, an operator) never moves `since`: grace windows cannot restart.
  return current.active ? current : { active: true, since };
}

export function failingBack(current: DrState, expected: DrState, at: EpochMs): DrState {
  if (!current.active || current.since !== expected.since) {
    throw new DrTransitionRefused('Failback needs the active DR state it was started for.', current);
  }
  return current.failbackStartedAt !== undefined ? current : { ...current, failbackStartedAt: at };
}

export function deactivated(current: DrState, expected: DrState): DrState {
  if (current.active !== expected.active || current.since !== expected.since) {
    throw new DrTransitionRefused('The DR state changed since it was read; nothing was written.', current);
  }
  return { active: false };
}
