import { createHash } from 'node:crypto';
import type { ChargeRequest, ChargeResult, PaymentProvider } from './ports.js';

/**
 * The built-in, clearly labelled demo provider: it approves every charge and moves no money. References are derived
 * from the idempotency key, so every instance in every region answers the same key with the same reference.
 */
export class DemoPaymentProvider implements PaymentProvider {
  readonly name = 'DemoPay (demo: no real charge)';
  readonly refunds: { reference: string; amount: number }[] = [];

  async charge(request: ChargeRequest): Promise<ChargeResult> {
    const digest = createHash('sha256').update(request.idempotencyKey).digest('hex').slice(0, 16).toUpperCase();
    return { approved: true, reference: `DEMO-${digest}` };
  }

  async refund(reference: string, amount: number): Promise<void> {
    this.refunds.push({ reference, amount });
  }
}
