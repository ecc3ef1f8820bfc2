import type { DrProtection } from '../../booking/dr.js';
import type { EpochMs } from '../../shared/time.js';

/**
 * Condition-expression fragments that encode the seat rules of `booking/seat-state.ts` for DynamoDB, so the rule is
 * enforced atomically inside TransactWriteItems. Attribute names use the #status/#region placeholders
 * (both are DynamoDB reserved words); values are prefixed with the fragment's own key to avoid clashes.
 */
export interface ConditionPart {
  readonly expression: string;
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

const STATUS_NAME = { '#status': 'status' };

/** A HOLDING record that the DR activation protects: primary-region hold live at `since`, grace not over. */
function protectedHolding(protection: DrProtection | undefined, now: EpochMs): ConditionPart | undefined {
  if (!protection || now >= protection.graceUntil) return undefined;
  return {
    expression: '(#region = :drPrimary AND createdAt <= :drSince AND expiresAt > :drSince)',
    names: { '#region': 'region' },
    values: { ':drPrimary': protection.primaryRegion, ':drSince': protection.since },
  };
}

/** The seat may be taken by a new hold: no record, an expired unprotected hold, or a DR hold past its grace. */
export function takeableCondition(
  now: EpochMs,
  protection: DrProtection | undefined,
  replacingHoldId?: string,
): ConditionPart {
  const guard = protectedHolding(protection, now);
  const expiredHolding = `(#status = :holding AND expiresAt <= :now${guard ? ` AND NOT ${guard.expression}` : ''})`;
  const clauses = [
    'attribute_not_exists(pk)',
    expiredHolding,
    '(#status = :drRecovered AND graceUntil <= :now)',
    // The user's own live hold being replaced in the same transaction (HOLDING, or DR_RECOVERED during a failover).
    ...(replacingHoldId ? ['(holdId = :replacing AND #status IN (:holding, :drRecovered))'] : []),
  ];
  return {
    expression: clauses.join(' OR '),
    names: { ...STATUS_NAME, ...guard?.names },
    values: {
      ':now': now,
      ':holding': 'HOLDING',
      ':drRecovered': 'DR_RECOVERED',
      ...(guard?.values ?? {}),
      ...(replacingHoldId ? { ':replacing': replacingHoldId } : {}),
    },
  };
}

/** The seat still carries this live hold of this user, so it may be paid for. */
export function payableCondition(
  holdId: string,
  userId: string,
  now: EpochMs,
  protection: DrProtection | undefined,
): ConditionPart {
  const guard = protectedHolding(protection, now);
  const liveHolding = guard ? `(expiresAt > :now OR ${guard.expression})` : 'expiresAt > :now';
  return {
    expression:
      `holdId = :holdId AND userId = :userId AND ` +
      `((#status = :holding AND ${liveHolding}) OR (#status = :drRecovered AND graceUntil > :now))`,
    names: { ...STATUS_NAME, ...guard?.names },
    values: {
      ':holdId': holdId,
      ':userId': userId,
      ':now': now,
      ':holding': 'HOLDING',
      ':drRecovered': 'DR_RECOVERED',
      ...(guard?.values ?? {}),
    },
  };
}
