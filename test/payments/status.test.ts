import { describe, expect, it } from 'vitest';
import type { DjomyPaymentStatus } from '../../src/djomy/schemas.ts';
import { newPayment, type Payment } from '../../src/payments/model/payment.ts';
import {
  closeInLedger,
  judgeHint,
  judgeOtherTransaction,
  judgeVerifiedStatus,
} from '../../src/payments/model/status.ts';

function payment(overrides: Partial<Payment> = {}): Payment {
  return newPayment({
    id: 'pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    flow: 'gateway',
    status: 'PENDING',
    version: 1,
    amount: 30000,
    currency: 'GNF',
    countryCode: 'GN',
    payerPhone: '00224622123456',
    reference: 'order-1',
    transactionId: 'tx-1',
    expiresAt: 0,
    createdAt: 0,
    ...overrides,
  });
}

function answer(overrides: Partial<DjomyPaymentStatus> = {}): DjomyPaymentStatus {
  return {
    transactionId: 'tx-1',
    status: 'SUCCESS',
    paidAmount: 30000,
    receivedAmount: 29700,
    fees: 300,
    paymentMethod: 'OM',
    payerIdentifier: '00224622123456',
    currency: 'GNF',
    merchantPaymentReference: 'pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    createdAt: null,
    providerReference: null,
    paymentLinkReference: null,
    ...overrides,
  };
}

describe('judging a verify_payment answer', () => {
  it('a matching SUCCESS makes an open payment paid and announces payment.succeeded', () => {
    const t = judgeVerifiedStatus(payment(), answer());
    expect(t).toMatchObject({
      change: true,
      to: 'SUCCESS',
      paid: true,
      flag: null,
      notify: 'payment.succeeded',
    });
  });

  it.each([
    ['a different amount', { paidAmount: 29999 }, 'amount_mismatch'],
    ['no amount', { paidAmount: null }, 'amount_mismatch'],
    ['another reference', { merchantPaymentReference: 'pay_other' }, 'reference_mismatch'],
    ['an unknown currency label', { currency: 'Naira' }, 'unknown_currency'],
    ['another currency', { currency: 'FCFA' }, 'currency_mismatch'],
  ])('a SUCCESS with %s is recorded, flagged, and not paid', (_name, change, flag) => {
    const t = judgeVerifiedStatus(payment(), answer(change));
    expect(t).toMatchObject({ change: true, to: 'SUCCESS', paid: false, flag, notify: 'payment.flagged' });
  });

  it('a link payment is not checked against our id as reference', () => {
    const t = judgeVerifiedStatus(
      payment({ flow: 'link' }),
      answer({ merchantPaymentReference: 'INVOICE-7' }),
    );
    expect(t).toMatchObject({ change: true, paid: true });
  });

  it.each(['FAILED', 'CANCELLED', 'TIMEOUT'])(
    '%s closes an open payment, unpaid, as payment.failed',
    (status) => {
      expect(judgeVerifiedStatus(payment(), answer({ status }))).toMatchObject({
        change: true,
        to: status,
        paid: false,
        notify: 'payment.failed',
      });
    },
  );

  it('CAPTURED is still open: not paid, nobody notified', () => {
    expect(judgeVerifiedStatus(payment(), answer({ status: 'CAPTURED' }))).toMatchObject({
      change: true,
      to: 'CAPTURED',
      paid: false,
      notify: null,
    });
  });

  it('an unknown status (AUTHORIZED) changes nothing', () => {
    expect(judgeVerifiedStatus(payment(), answer({ status: 'AUTHORIZED' })).change).toBe(false);
  });

  it.each(['FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED'] as const)('a %s payment never reopens', (status) => {
    for (const later of ['PENDING', 'CREATED', 'REDIRECTED', 'CAPTURED']) {
      expect(judgeVerifiedStatus(payment({ status }), answer({ status: later })).change).toBe(false);
    }
  });

  it.each(['FAILED', 'CANCELLED', 'TIMEOUT'] as const)(
    'a SUCCESS after a %s from Djomy is money taken: it is recorded and paid',
    (status) => {
      expect(judgeVerifiedStatus(payment({ status }), answer())).toMatchObject({
        change: true,
        to: 'SUCCESS',
        paid: true,
        notify: 'payment.succeeded',
        detail: { reopenedFrom: status },
      });
    },
  );

  it('a REFUNDED payment stays refunded', () => {
    expect(judgeVerifiedStatus(payment({ status: 'REFUNDED' }), answer()).change).toBe(false);
  });

  it('SUCCESS can only become REFUNDED', () => {
    const paid = payment({ status: 'SUCCESS', paid: true });
    expect(judgeVerifiedStatus(paid, answer({ status: 'PENDING' })).change).toBe(false);
    expect(judgeVerifiedStatus(paid, answer({ status: 'FAILED' })).change).toBe(false);
    expect(judgeVerifiedStatus(paid, answer({ status: 'REFUNDED' }))).toMatchObject({
      change: true,
      to: 'REFUNDED',
      paid: false,
      notify: 'payment.refunded',
    });
  });

  it("a TIMEOUT our ledger imposed gives way to Djomy's later verdict, and its reason is cleared", () => {
    const closed = payment({ status: 'TIMEOUT', closeReason: 'open_at_djomy_long_after_expiry' });
    expect(judgeVerifiedStatus(closed, answer())).toMatchObject({
      change: true,
      to: 'SUCCESS',
      paid: true,
      closeReason: null,
    });
    expect(judgeVerifiedStatus(closed, answer({ status: 'FAILED' }))).toMatchObject({ to: 'FAILED' });
    expect(judgeVerifiedStatus(closed, answer({ status: 'PENDING' })).change).toBe(false);
    expect(judgeVerifiedStatus(closed, answer({ status: 'TIMEOUT' })).change).toBe(false);
  });
});

describe('status hints (create, confirmOTP)', () => {
  it('may move between open statuses', () => {
    expect(judgeHint(payment({ status: 'CREATED' }), 'PENDING')).toMatchObject({
      change: true,
      to: 'PENDING',
    });
  });

  it('can never make a payment paid or terminal', () => {
    expect(judgeHint(payment(), 'SUCCESS').change).toBe(false);
    expect(judgeHint(payment(), 'FAILED').change).toBe(false);
    expect(judgeHint(payment({ status: 'SUCCESS' }), 'PENDING').change).toBe(false);
    expect(judgeHint(payment(), 'WHATEVER').change).toBe(false);
    expect(judgeHint(payment(), null).change).toBe(false);
  });
});

describe('closing in the ledger', () => {
  it('closes an open payment as TIMEOUT with its reason', () => {
    expect(closeInLedger(payment(), 'never_created_at_djomy')).toMatchObject({
      change: true,
      to: 'TIMEOUT',
      closeReason: 'never_created_at_djomy',
      notify: 'payment.failed',
    });
  });

  it('does not touch a closed payment', () => {
    expect(closeInLedger(payment({ status: 'SUCCESS' }), 'x').change).toBe(false);
  });
});

describe('another Djomy transaction of the same order', () => {
  it('an order without a current transaction adopts it, whatever its status', () => {
    const orphan = payment({ transactionId: null, status: 'CREATED' });
    expect(judgeOtherTransaction(orphan, answer({ transactionId: 'tx-2', status: 'PENDING' }))).toMatchObject(
      {
        change: true,
        to: 'PENDING',
        transaction: { id: 'tx-2' },
      },
    );
    expect(judgeOtherTransaction(orphan, answer({ transactionId: 'tx-2' }))).toMatchObject({
      to: 'SUCCESS',
      paid: true,
      transaction: { id: 'tx-2' },
    });
  });

  it('only its SUCCESS concerns the order', () => {
    for (const status of ['PENDING', 'FAILED', 'CANCELLED', 'TIMEOUT']) {
      expect(judgeOtherTransaction(payment(), answer({ transactionId: 'tx-2', status })).change).toBe(false);
    }
  });

  it('an unpaid order switches to the transaction that succeeded', () => {
    for (const status of ['PENDING', 'FAILED', 'TIMEOUT'] as const) {
      expect(judgeOtherTransaction(payment({ status }), answer({ transactionId: 'tx-2' }))).toMatchObject({
        change: true,
        to: 'SUCCESS',
        paid: true,
        notify: 'payment.succeeded',
        transaction: { id: 'tx-2' },
        detail: { switchedFrom: 'tx-1', transactionId: 'tx-2' },
      });
    }
  });

  it('a paid order records a duplicate charge, announced once per transaction', () => {
    const paid = payment({ status: 'SUCCESS', paid: true });
    const t = judgeOtherTransaction(paid, answer({ transactionId: 'tx-2' }));
    expect(t).toMatchObject({
      change: true,
      to: 'SUCCESS',
      paid: true,
      flag: 'duplicate_charge',
      notify: 'payment.flagged',
      eventKey: 'payment.flagged:duplicate_charge:tx-2',
      detail: { duplicateCharge: { transactionId: 'tx-2', paidTransactionId: 'tx-1' } },
    });
    expect(t.change && t.transaction).toBeFalsy();
  });
});
