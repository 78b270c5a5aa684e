/**
 * The Djomy client against the running simulator, every endpoint, when all
 * goes well (docs/djomy.md#endpoints). No mocked fetch: where
 * the test needs to see the wire, a recording fetch notes the request and the
 * answer and forwards to the real `fetch`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DjomyClient } from '../../src/djomy/client.ts';
import { isoCurrency } from '../../src/djomy/currency.ts';
import { type CreateLinkRequest, PAYMENT_STATUSES } from '../../src/djomy/schemas.ts';
import { verifyWebhookSignature } from '../../src/djomy/signature.ts';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import {
  completeDirectPayment,
  type Exchange,
  gatewayPayment,
  newClient,
  PHONES,
  recordingFetch,
  rejection,
} from '../support/djomy-client.ts';
import { SIM_ORIGIN, sim } from '../support/sim.ts';

const uniqueLink: CreateLinkRequest = {
  countryCode: 'GN',
  amountToPay: 75_000,
  linkName: 'Facture 17',
  usageType: 'UNIQUE',
  merchantReference: 'INV-17',
  returnUrl: 'https://edge.example/thanks',
  skipDjomyStatusPage: true,
};

let djomy: DjomyClient;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  djomy = newClient();
});

describe('authenticate', () => {
  it('gets a bearer token and its lifetime from data.accessToken and data.expiresIn', async () => {
    await sim.config({ tokenTtlSeconds: 900 });
    const issued = await djomy.authenticate();
    expect(issued.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(issued.lifetimeSeconds).toBe(900);
    expect((await sim.counters()).auth).toBe(1);
  });
});

describe('createDirectPayment', () => {
  it.each([
    ['OM', PHONES.GN, 'otp'],
    ['MOMO', PHONES.GN, 'otp'],
    ['PAYCARD', '123456789', 'otp'],
    ['SOUTRA_MONEY', PHONES.GN, 'push'],
    ['YMO', PHONES.GN, 'push'],
  ] as const)(
    'creates a PENDING %s payment with no URL to open (%s mode at the sim)',
    async (method, payer, mode) => {
      const request = completeDirectPayment({ paymentMethod: method, payerIdentifier: payer });
      const created = await djomy.createDirectPayment(request);
      expect(created).toEqual({
        transactionId: expect.stringMatching(/^[0-9a-f-]{36}$/),
        status: 'PENDING',
        redirectUrl: null,
      });
      const truth = await sim.payment(created.transactionId);
      expect(truth).toMatchObject({
        flow: 'direct',
        mode,
        status: 'PENDING',
        amount: request.amount,
        paymentMethod: method,
        payerIdentifier: payer,
        merchantPaymentReference: request.merchantPaymentReference,
        description: request.description,
        returnUrl: request.returnUrl,
        metadata: request.metadata,
      });
    },
  );

  it('creates a KULU payment whose redirectUrl is the page the payer must open', async () => {
    const created = await djomy.createDirectPayment(completeDirectPayment({ paymentMethod: 'KULU' }));
    expect(created.status).toBe('PENDING');
    expect(created.redirectUrl).toBe(`${SIM_ORIGIN}/kulu/${created.transactionId}`);
    expect((await sim.payment(created.transactionId)).mode).toBe('redirect');
  });

  it('reads a KULU URL from paymentUrl when Djomy sends only the legacy name', async () => {
    await sim.config({ legacyNames: true });
    const recorder = recordingFetch();
    const created = await newClient({ fetch: recorder.fetch }).createDirectPayment(
      completeDirectPayment({ paymentMethod: 'KULU' }),
    );
    const answer = JSON.parse(await (recorder.exchanges.at(-1) as Exchange).answer);
    expect(answer.data).not.toHaveProperty('redirectUrl');
    expect(created.redirectUrl).toBe(answer.data.paymentUrl);
  });
});

describe('createGatewayPayment', () => {
  it('creates a CREATED payment and returns the portal URL from redirectUrl', async () => {
    const request = gatewayPayment();
    const created = await djomy.createGatewayPayment(request);
    expect(created).toEqual({
      transactionId: expect.any(String),
      status: 'CREATED',
      redirectUrl: `${SIM_ORIGIN}/portal/${created.transactionId}`,
    });
    expect(await sim.payment(created.transactionId)).toMatchObject({
      flow: 'gateway',
      mode: 'portal',
      amount: 50_000,
      payerIdentifier: PHONES.GN,
      allowedPaymentMethods: ['OM', 'MOMO', 'CARD'],
      merchantPaymentReference: request.merchantPaymentReference,
    });
  });

  it('falls back to paymentUrl when the answer has no redirectUrl (legacyNames)', async () => {
    await sim.config({ legacyNames: true });
    const recorder = recordingFetch();
    const created = await newClient({ fetch: recorder.fetch }).createGatewayPayment(gatewayPayment());
    const answer = JSON.parse(await (recorder.exchanges.at(-1) as Exchange).answer);
    expect(answer.data).not.toHaveProperty('redirectUrl');
    expect(answer.data.paymentUrl).toBe(`${SIM_ORIGIN}/portal/${created.transactionId}`);
    expect(created.redirectUrl).toBe(answer.data.paymentUrl);
  });
});

describe('confirmOtp', () => {
  it.each([
    ['OM', PHONES.GN],
    ['MOMO', PHONES.GN],
    ['PAYCARD', '123456789'],
  ] as const)(
    'confirms a %s payment with the OTP the payer received, and answers the status object',
    async (method, payer) => {
      const { transactionId } = await djomy.createDirectPayment(
        completeDirectPayment({ paymentMethod: method, payerIdentifier: payer }),
      );
      const { otp } = await sim.payment(transactionId);
      const status = await djomy.confirmOtp(transactionId, otp as string);
      expect(status).toMatchObject({ transactionId, status: 'SUCCESS', paymentMethod: method });
      expect((await sim.payment(transactionId)).status).toBe('SUCCESS');
    },
  );
});

describe('getPaymentStatus', () => {
  it('maps every field of the status object', async () => {
    const request = completeDirectPayment({ amount: 30_000 });
    const { transactionId } = await djomy.createDirectPayment(request);
    await djomy.confirmOtp(transactionId, (await sim.payment(transactionId)).otp as string);

    const status = await djomy.getPaymentStatus(transactionId);
    const truth = await sim.payment(transactionId);
    expect(status).toEqual({
      transactionId,
      status: 'SUCCESS',
      paidAmount: 30_000,
      receivedAmount: 29_700,
      fees: 300,
      paymentMethod: 'OM',
      payerIdentifier: PHONES.GN,
      currency: 'GNF',
      merchantPaymentReference: request.merchantPaymentReference,
      createdAt: truth.createdAt,
      providerReference: truth.providerReference,
      paymentLinkReference: null,
    });
    expect(status.providerReference).toMatch(/^OM-\d{12}$/);
  });

  it('reads a still-open payment with nulls where Djomy has nothing yet', async () => {
    const { transactionId } = await djomy.createGatewayPayment(gatewayPayment());
    expect(await djomy.getPaymentStatus(transactionId)).toMatchObject({
      status: 'CREATED',
      paymentMethod: null,
      providerReference: null,
      fees: 0,
      receivedAmount: 0,
    });
  });

  it.each([
    ['GN', 'GNF', 'GNF'],
    ['SL', 'Leones', 'SLE'],
    ['LR', 'Dollar', 'USD'],
  ] as const)('reports the %s currency label %s as Djomy sends it (ISO %s)', async (country, label, iso) => {
    const { transactionId } = await djomy.createDirectPayment(
      completeDirectPayment({
        paymentMethod: 'MOMO',
        countryCode: country,
        payerIdentifier: PHONES[country],
      }),
    );
    const status = await djomy.getPaymentStatus(transactionId);
    expect(status.currency).toBe(label);
    expect(isoCurrency(status.currency as string)).toBe(iso);
  });

  it('keeps an unknown currency label as received, for the caller to flag', async () => {
    await sim.config({ currencyLabel: 'Naira' });
    const { transactionId } = await djomy.createDirectPayment(completeDirectPayment());
    const status = await djomy.getPaymentStatus(transactionId);
    expect(status.currency).toBe('Naira');
    expect(isoCurrency('Naira')).toBeNull();
  });

  it('reads CAPTURED and terminal statuses as Djomy sends them', async () => {
    const { transactionId } = await djomy.createDirectPayment(completeDirectPayment());
    for (const next of ['CAPTURED', 'SUCCESS', 'REFUNDED'] as const) {
      await sim.complete(transactionId, next);
      expect((await djomy.getPaymentStatus(transactionId)).status).toBe(next);
    }
  });
});

describe('listPayments', () => {
  async function threePayments() {
    const pending = await djomy.createDirectPayment(completeDirectPayment({ paymentMethod: 'SOUTRA_MONEY' }));
    const success = await djomy.createDirectPayment(completeDirectPayment({ paymentMethod: 'SOUTRA_MONEY' }));
    const failed = await djomy.createDirectPayment(completeDirectPayment({ paymentMethod: 'SOUTRA_MONEY' }));
    await sim.complete(success.transactionId, 'SUCCESS');
    await sim.complete(failed.transactionId, 'FAILED');
    return { pending: pending.transactionId, success: success.transactionId, failed: failed.transactionId };
  }
  const ids = (page: { items: { transactionId: string }[] }) => page.items.map((item) => item.transactionId);

  it('sends flat page, size, sortBy=createdAt and sortDirection=desc (not paginationRequest[…])', async () => {
    const recorder = recordingFetch();
    await newClient({ fetch: recorder.fetch }).listPayments();
    const { url, method, body } = recorder.exchanges.at(-1) as Exchange;
    expect(method).toBe('GET');
    expect(body).toBeUndefined();
    expect(url.pathname).toBe('/v1/payments');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      page: '0',
      size: '100',
      sortBy: 'createdAt',
      sortDirection: 'desc',
    });
    expect([...url.searchParams.keys()].some((name) => name.startsWith('paginationRequest'))).toBe(false);
  });

  it("answers one page of mapped payments, with Djomy's default statuses (SUCCESS, PENDING) when none are given", async () => {
    const payments = await threePayments();
    const page = await djomy.listPayments();
    expect(page.last).toBe(true);
    expect(new Set(ids(page))).toEqual(new Set([payments.pending, payments.success]));
    const success = page.items.find((item) => item.transactionId === payments.success);
    expect(success).toMatchObject({ status: 'SUCCESS', paymentMethod: 'SOUTRA_MONEY', currency: 'GNF' });
  });

  it('filters by statuses, sent comma-separated', async () => {
    const payments = await threePayments();
    const recorder = recordingFetch();
    const page = await newClient({ fetch: recorder.fetch }).listPayments({ statuses: ['FAILED', 'PENDING'] });
    expect(new Set(ids(page))).toEqual(new Set([payments.failed, payments.pending]));
    expect((recorder.exchanges.at(-1) as Exchange).url.searchParams.get('statuses')).toBe('FAILED,PENDING');
  });

  it('pages through the results newest first', async () => {
    await threePayments();
    const statuses = [...PAYMENT_STATUSES];
    const pages = [];
    for (let page = 0; page < 3; page++) pages.push(await djomy.listPayments({ page, size: 1, statuses }));
    expect(pages.map((p) => p.items.length)).toEqual([1, 1, 1]);
    expect(pages.map((p) => p.last)).toEqual([false, false, true]);
    const created = pages.map((p) => p.items[0]?.createdAt as string);
    expect([...created].sort().reverse()).toEqual(created);
    expect(new Set(pages.flatMap(ids)).size).toBe(3);
    expect(await djomy.listPayments({ page: 3, size: 1, statuses })).toEqual({ items: [], last: true });
  });

  it('sends a period as startDate and endDate (YYYY-MM-DD) together', async () => {
    await threePayments();
    const today = new Date().toISOString().slice(0, 10);
    const statuses = [...PAYMENT_STATUSES];
    const recorder = recordingFetch();
    const client = newClient({ fetch: recorder.fetch });

    const now = await client.listPayments({ statuses, period: { startDate: today, endDate: today } });
    expect(now.items).toHaveLength(3);
    const { searchParams } = (recorder.exchanges.at(-1) as Exchange).url;
    expect([searchParams.get('startDate'), searchParams.get('endDate')]).toEqual([today, today]);

    const past = await client.listPayments({
      statuses,
      period: { startDate: '2020-01-01', endDate: '2020-01-31' },
    });
    expect(past).toEqual({ items: [], last: true });
  });
});

describe('createLink', () => {
  it('creates an ACTIVE UNIQUE link with its reference and public page URL', async () => {
    const link = await djomy.createLink(uniqueLink);
    expect(link).toEqual({
      reference: expect.stringMatching(/^LNK-/),
      pageUrl: `${SIM_ORIGIN}/links/${link.reference}`,
      status: 'ACTIVE',
      usageType: 'UNIQUE',
      usageLimit: null,
      numberOfUsage: 0,
      consumed: false,
      amountToPay: 75_000,
      countryCode: 'GN',
      linkName: 'Facture 17',
      merchantReference: 'INV-17',
      expiresAt: null,
      payments: [],
    });
  });

  it('creates a MULTIPLE link with its usageLimit', async () => {
    const link = await djomy.createLink({ countryCode: 'GN', usageType: 'MULTIPLE', usageLimit: 50 });
    expect(link).toMatchObject({ usageType: 'MULTIPLE', usageLimit: 50, amountToPay: null, consumed: false });
  });

  it('refuses a MULTIPLE link without usageLimit before sending anything', async () => {
    const recorder = recordingFetch();
    const client = newClient({ fetch: recorder.fetch });
    const error = await rejection(client.createLink({ countryCode: 'GN', usageType: 'MULTIPLE' }));
    expect(error).toMatchObject({ kind: 'refused', operation: 'createLink', status: undefined });
    expect(error.fieldErrors).toEqual([expect.stringMatching(/^usageLimit: /)]);
    expect(recorder.exchanges).toEqual([]);
    expect((await sim.counters()).createLink).toBe(0);
  });

  it('reads reference and url when Djomy sends only the legacy names', async () => {
    await sim.config({ legacyNames: true });
    const recorder = recordingFetch();
    const link = await newClient({ fetch: recorder.fetch }).createLink(uniqueLink);
    const answer = JSON.parse(await (recorder.exchanges.at(-1) as Exchange).answer);
    expect(answer.data).not.toHaveProperty('paymentLinkReference');
    expect(answer.data).not.toHaveProperty('paymentPageUrl');
    expect(link.reference).toBe(answer.data.reference);
    expect(link.pageUrl).toBe(answer.data.url);
  });
});

describe('getLink', () => {
  it('reads an unused link as ACTIVE and not consumed, URL-encoding the reference', async () => {
    const created = await djomy.createLink(uniqueLink);
    const recorder = recordingFetch();
    const link = await newClient({ fetch: recorder.fetch }).getLink(created.reference);
    expect(link).toEqual(created);
    expect((recorder.exchanges.at(-1) as Exchange).url.pathname).toBe(
      `/v1/links/${encodeURIComponent(created.reference)}`,
    );
  });

  it.each(['PAID', 'REVOKED'] as const)(
    'recognises a paid UNIQUE link as consumed when Djomy marks it %s',
    async (consumedStatus) => {
      await sim.config({ consumedUniqueLinkStatus: consumedStatus });
      const { reference } = await djomy.createLink(uniqueLink);
      const paid = await sim.payLink(reference, { paymentMethod: 'MOMO' });

      const link = await djomy.getLink(reference);
      expect(link).toMatchObject({ status: consumedStatus, numberOfUsage: 1, consumed: true });
      expect(link.payments).toEqual([
        { transactionId: paid.transactionId, status: 'SUCCESS', paidAmount: 75_000 },
      ]);
    },
  );

  it('never calls a MULTIPLE link consumed, even once used', async () => {
    const { reference } = await djomy.createLink({ countryCode: 'GN', usageType: 'MULTIPLE', usageLimit: 3 });
    await sim.payLink(reference, { amount: 1000, paymentMethod: 'MOMO' });
    expect(await djomy.getLink(reference)).toMatchObject({
      status: 'ACTIVE',
      numberOfUsage: 1,
      consumed: false,
    });
  });

  it('reads the sandbox’s ENABLED as ACTIVE, and a consumed UNIQUE link from numberOfUsage alone', async () => {
    await sim.config({ sandboxQuirks: true });
    const recorder = recordingFetch();
    const client = newClient({ fetch: recorder.fetch });
    const { reference } = await client.createLink(uniqueLink);

    const fresh = await client.getLink(reference);
    expect(JSON.parse(await (recorder.exchanges.at(-1) as Exchange).answer).data.status).toBe('ENABLED');
    expect(fresh).toMatchObject({ status: 'ACTIVE', consumed: false });

    await sim.payLink(reference, { paymentMethod: 'MOMO' });
    const used = await client.getLink(reference);
    expect(used).toMatchObject({ numberOfUsage: 1, consumed: true, payments: [] });
  });

  it('reads reference and url on GET when Djomy sends only the legacy names', async () => {
    await sim.config({ legacyNames: true });
    const { reference, pageUrl } = await djomy.createLink(uniqueLink);
    expect(await djomy.getLink(reference)).toMatchObject({ reference, pageUrl, status: 'ACTIVE' });
  });
});

describe('listLinks', () => {
  it("answers the merchant's links, newest first, mapped like getLink", async () => {
    const first = await djomy.createLink(uniqueLink);
    const second = await djomy.createLink({ countryCode: 'SL', usageType: 'MULTIPLE', usageLimit: 10 });
    const page = await djomy.listLinks();
    expect(page.last).toBe(true);
    expect(page.items).toEqual([second, first]);
  });

  it('answers an empty page when there are no links', async () => {
    expect(await djomy.listLinks()).toEqual({ items: [], last: true });
  });
});

describe('webhooks the simulator sent', () => {
  it.each(['v2', 'v1'] as const)(
    'verify with verifyWebhookSignature over their exact bytes (%s), and a tampered body does not',
    async (version) => {
      await sim.config({ webhookVersion: version });
      const { transactionId } = await djomy.createDirectPayment(completeDirectPayment());
      await djomy.confirmOtp(transactionId, (await sim.payment(transactionId)).otp as string);

      const events = (await sim.webhooks()).events.filter((event) => event.transactionId === transactionId);
      expect(events.map((event) => event.eventType)).toEqual(['payment.pending', 'payment.success']);
      const secret = TEST_CREDENTIALS.clientSecret;
      for (const { body, signature } of events) {
        expect(signature).toMatch(/^v1:[0-9a-f]{64}$/);
        expect(await verifyWebhookSignature(secret, body, signature)).toBe(true);
        expect(await verifyWebhookSignature(secret, new TextEncoder().encode(body), signature)).toBe(true);
        const tampered = body.replace('"status":"', '"status":"X');
        expect(tampered).not.toBe(body);
        expect(await verifyWebhookSignature(secret, tampered, signature)).toBe(false);
        expect(await verifyWebhookSignature('another-secret', body, signature)).toBe(false);
      }
    },
  );

  it('verify for a payment completed by the sim on a link', async () => {
    const { reference } = await djomy.createLink(uniqueLink);
    const paid = await sim.payLink(reference, { paymentMethod: 'MOMO' });
    const events = (await sim.webhooks()).events.filter(
      (event) => event.transactionId === paid.transactionId,
    );
    expect(events.length).toBeGreaterThan(0);
    for (const { body, signature } of events) {
      expect(JSON.parse(body).paymentLinkReference).toBe(reference);
      expect(await verifyWebhookSignature(TEST_CREDENTIALS.clientSecret, body, signature)).toBe(true);
    }
  });
});
