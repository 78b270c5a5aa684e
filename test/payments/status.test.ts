import { describe, expect, it } from 'vitest';
import type { DjomyPaymentStatus } from '../../src/djomy/schemas.ts';
import type { Payment } from '../../src/payments/payment.ts';
import { closeInLedger, judgeHint, judgeVerifiedStatus } from '../../src/payments/status.ts';

function payment(overrides: Partial<Payment> = {}): Payment {
  return {
    id: 'pay_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
    flow: 'gateway',
    status: 'PENDING',
    paid: false,
    version: 1,
    amount: 30000,
    currency: 'GNF',
    countryCode: 'GN',
    paymentMethod: null,
    payerPhone: '00224622123456',
    reference: 'order-1',
    items: null,
    metadata: null,
    allowedMethods: null,
    successUrl: null,
    cancelUrl: null,
    transactionId: 'tx-1',
    nextUrl: null,
    linkReference: null,
    paidAmount: null,
    receivedAmount: null,
    fees: null,
    djomyCurrency: null,
    flag: null,
    createError: null,
    closeReason: null,
    lastError: null,
    verifyCount: 0,
    verifiedAt: null,
    expiresAt: 0,
    createdAt: 0,
    updatedAt: 0,
    ...overrides,
  };
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
    for (const later of ['PENDING', 'CREATED', 'SUCCESS', 'REDIRECTED']) {
      expect(judgeVerifiedStatus(payment({ status }), answer({ status: later })).change).toBe(false);
    }
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

  it("a TIMEOUT our ledger imposed gives way to Djomy's later verdict", () => {
    const closed = payment({ status: 'TIMEOUT', closeReason: 'open_at_djomy_long_after_expiry' });
    expect(judgeVerifiedStatus(closed, answer())).toMatchObject({ change: true, to: 'SUCCESS', paid: true });
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
