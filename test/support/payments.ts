import type { DemoPaymentProvider } from '../../app/booking/demo-payments.js';

/**
 * The refunds made for a hold's payment. The demo provider answers an idempotency key with the same reference every
 * time, so charging the hold's key again (amount 0) names the payment a confirm made.
 */
export async function refundsOfHold(payments: DemoPaymentProvider, holdId: string): Promise<number[]> {
  const charge = await payments.charge({
    idempotencyKey: `hold:${holdId}`,
    amount: 0,
    currency: 'KRW',
    description: '',
  });
  const reference = charge.approved ? charge.reference : '';
  return payments.refunds.filter((r) => r.reference === reference).map((r) => r.amount);
}
