import type { AttributeValue, TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { AdmissionUse } from '../../booking/ports.js';
import { toWireTransactItem, type DocumentTransactItem as TransactItem } from './attribute-values.js';
import { keys } from './keys.js';

/**
 * The hold gate inside the booking transaction: the rule of `queue/rules.ts` (`admissionServesHold`,
 * `admissionServesConfirm`) as one Update of the admission (entry) item, added to the hold's or confirm's own
 * TransactWriteItems — no extra round trip, and the seats are written only if the admission allows it.
 *
 * A token from an older writer epoch may find no admission here (it never replicated) or the entry as it was before
 * the claim: then the update recreates the admission from the token, so admitted users finish in the new region.
 */
const NAMES = { '#state': 'state', '#number': 'number' };

function lenientFields(use: AdmissionUse): { sets: string[]; values: Record<string, unknown> } {
  return {
    // Enough of an entry for the waiting room to read it back, should the admission be recreated from the token.
    sets: [
      'eventId = if_not_exists(eventId, :event)',
      'userId = if_not_exists(userId, :user)',
      'epoch = if_not_exists(epoch, :tokenEpoch)',
      '#number = if_not_exists(#number, :tokenPosition)',
      'lottery = if_not_exists(lottery, :false)',
      'joinedAt = if_not_exists(joinedAt, :now)',
      'admissionPosition = if_not_exists(admissionPosition, :tokenPosition)',
      'admissionEpoch = if_not_exists(admissionEpoch, :tokenEpoch)',
      'admittedAt = if_not_exists(admittedAt, :now)',
      'admissionExpiresAt = if_not_exists(admissionExpiresAt, :exp)',
      'tokenId = :tid',
    ],
    values: {
      ':event': use.eventId,
      ':user': use.userId,
      ':false': false,
      ':exp': use.expiresAt,
      ':tokenEpoch': use.epoch,
      ':tokenPosition': use.position,
    },
  };
}

const ADMITTED_BY_TOKEN = '#state = :admitted AND tokenId = :tid';
const HOLD_ALLOWED = `${ADMITTED_BY_TOKEN} AND holdsUsed < :cap AND admissionExpiresAt > :now`;
const STATE_NAME = { '#state': NAMES['#state'] };
const LOST_IN_REPLICATION = 'attribute_not_exists(pk) OR #state = :waiting';

/**
 * Counts one hold against the admission: ADMITTED, this token id, holds used < cap, window not over. The usual
 * (strict) item is as small as the rule allows — every name and value in it is marshalled, serialised and signed by
 * the SDK on the hold's path, and evaluated by DynamoDB — so it sets nothing the condition has already proved
 * (`#state`), records no time of the hold (nothing reads one), and `ADD` counts from zero without an `if_not_exists`.
 */
export function admissionHoldUpdate(table: string, use: AdmissionUse): TransactItem {
  const lenient = use.fromOlderEpoch ? lenientFields(use) : undefined;
  return {
    Update: {
      TableName: table,
      Key: keys.queueEntry(use.eventId, use.userId),
      UpdateExpression: lenient
        ? `SET ${['#state = :admitted', ...lenient.sets].join(', ')} ADD holdsUsed :one`
        : 'ADD holdsUsed :one',
      ConditionExpression: lenient ? `${LOST_IN_REPLICATION} OR (${HOLD_ALLOWED})` : HOLD_ALLOWED,
      ExpressionAttributeNames: lenient ? NAMES : STATE_NAME,
      ExpressionAttributeValues: {
        ':admitted': 'ADMITTED',
        ':tid': use.tokenId,
        ':cap': use.cap,
        ':now': use.now,
        ':one': 1,
        ...(lenient ? { ':waiting': 'WAITING', ...lenient.values } : {}),
      },
    },
  };
}

/** Confirm closes the admission (DONE): a replayed token can then hold nothing more. */
export function admissionConfirmUpdate(table: string, use: AdmissionUse): TransactItem {
  const lenient = use.fromOlderEpoch ? lenientFields(use) : undefined;
  return {
    Update: {
      TableName: table,
      Key: keys.queueEntry(use.eventId, use.userId),
      UpdateExpression: ['SET #state = :done', 'doneAt = :now', ...(lenient?.sets ?? [])].join(', '),
      ConditionExpression: lenient ? `${LOST_IN_REPLICATION} OR (${ADMITTED_BY_TOKEN})` : ADMITTED_BY_TOKEN,
      ExpressionAttributeNames: lenient ? NAMES : STATE_NAME,
      ExpressionAttributeValues: {
        ':done': 'DONE',
        ':admitted': 'ADMITTED',
        ':tid': use.tokenId,
        ':now': use.now,
        ...(lenient ? { ':waiting': 'WAITING', ...lenient.values } : {}),
      },
    },
  };
}

/** The values every strict admission item carries, in wire form once for all holds (never mutated). */
const ADMITTED: AttributeValue = { S: 'ADMITTED' };
const ONE: AttributeValue = { N: '1' };

/**
 * `admissionHoldUpdate` in wire form (AttributeValues), for the hold's transaction sent through the low-level command.
 * The usual (strict) item is built directly — its expressions, names and constant values shared, only the key, token
 * id, cap and time made per hold — because it is on every gated hold's path; the rare lenient item (a token from an
 * older epoch) is marshalled from the document form. A unit test proves both equal the document form marshalled.
 */
export function admissionHoldWireItem(table: string, use: AdmissionUse): TransactWriteItem {
  if (use.fromOlderEpoch) return toWireTransactItem(admissionHoldUpdate(table, use));
  return {
    Update: {
      TableName: table,
      Key: queueEntryKey(use),
      UpdateExpression: 'ADD holdsUsed :one',
      ConditionExpression: HOLD_ALLOWED,
      ExpressionAttributeNames: STATE_NAME,
      ExpressionAttributeValues: {
        ':admitted': ADMITTED,
        ':tid': { S: use.tokenId },
        ':cap': { N: String(use.cap) },
        ':now': { N: String(use.now) },
        ':one': ONE,
      },
    },
  };
}

/** `admissionConfirmUpdate` in wire form (once per confirm, so simply marshalled). */
export function admissionConfirmWireItem(table: string, use: AdmissionUse): TransactWriteItem {
  return toWireTransactItem(admissionConfirmUpdate(table, use));
}

function queueEntryKey(use: AdmissionUse): Record<string, AttributeValue> {
  const key = keys.queueEntry(use.eventId, use.userId);
  return { pk: { S: key.pk }, sk: { S: key.sk } };
}
