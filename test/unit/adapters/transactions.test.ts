import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { expect } from 'chai';
import { refusedOrRaced } from '../../../app/adapters/dynamodb/transactions.js';
import { retryOnRace, WriteRaced } from '../../../app/shared/concurrency.js';
import { DomainError } from '../../../app/shared/errors.js';

const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

describe('refusedOrRaced (classifying a cancelled TransactWriteItems)', () => {
  it('a ConditionalCheckFailed reason is a refusal: returns normally', () => {
    expect(() => refusedOrRaced(cancelled('None', 'ConditionalCheckFailed', 'TransactionConflict'))).not.to.throw();
  });

  it('only TransactionConflict reasons → WriteRaced (retry, never "refused")', () => {
    expect(() => refusedOrRaced(cancelled('None', 'TransactionConflict'))).to.throw(WriteRaced);
  });

  it('any other error is rethrown as is', () => {
    const other = new Error('ProvisionedThroughputExceeded');
    expect(() => refusedOrRaced(other)).to.throw(other);
    expect(() => refusedOrRaced(cancelled('ValidationError'))).to.throw(TransactionCanceledException);
  });
});

describe('retryOnRace', () => {
  it('retries a raced attempt and returns the first success', async () => {
    let calls = 0;
    const result = await retryOnRace(async () => {
      calls++;
      if (calls < 3) throw new WriteRaced('test');
      return 'done';
    });
    expect([result, calls]).to.deep.equal(['done', 3]);
  });

  it('gives up after the maximum with CONCURRENT_UPDATE, and never retries other errors', async () => {
    let calls = 0;
    const error = await retryOnRace(async () => {
      calls++;
      throw new WriteRaced('always');
    }, 3).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(DomainError).with.property('code', 'CONCURRENT_UPDATE');
    expect(calls).to.equal(3);
    let otherCalls = 0;
    await retryOnRace(async () => {
      otherCalls++;
      throw new Error('boom');
    }).catch(() => undefined);
    expect(otherCalls).to.equal(1);
  });
});
