import { beforeEach, describe, expect, it } from 'vitest';
import createLinkSchema from '../fixtures/afrotools-djomy/create_payment_link.schema.json';
import getLinkSchema from '../fixtures/afrotools-djomy/get_payment_link.schema.json';
import verifyPaymentSchema from '../fixtures/afrotools-djomy/verify_payment.schema.json';
import { djomy, djomySchemaErrors, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

let token: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
});

const bill = {
  countryCode: 'GN',
  amountToPay: 75000,
  linkName: 'Facture 17',
  description: 'Réparation',
  usageType: 'UNIQUE',
  merchantReference: 'INV-17',
  returnUrl: 'https://shop.example/thanks',
  allowedPaymentMethods: ['OM', 'MOMO'],
  customFields: [{ label: 'Nom', placeholder: 'Votre nom', required: true }],
  metadata: { invoice: 17 },
  skipDjomyStatusPage: true,
};

const createLink = (body: unknown) => djomy('POST', '/v1/links', { token, body });
const getLink = (reference: string) => djomy('GET', `/v1/links/${encodeURIComponent(reference)}`, { token });

async function linkReference(body: Record<string, unknown> = bill): Promise<string> {
  return (await createLink(body)).body.data.paymentLinkReference;
}

describe('POST /v1/links', () => {
  it('creates an ACTIVE link with its public page URL, matching the create_payment_link schema', async () => {
    const { status, body } = await createLink(bill);
    expect(status).toBe(201);
    expect(djomySchemaErrors(createLinkSchema, body)).toEqual([]);
    const reference = body.data.paymentLinkReference;
    expect(reference).toMatch(/^LNK-[A-Z0-9]+$/);
    expect(body.data).toMatchObject({
      reference,
      status: 'ACTIVE',
      usageType: 'UNIQUE',
      amountToPay: 75000,
      countryCode: 'GN',
      merchantReference: 'INV-17',
      linkName: 'Facture 17',
      paymentPageUrl: `${SIM_ORIGIN}/links/${reference}`,
      numberOfUsage: 0,
      allowedPaymentMethods: ['OM', 'MOMO'],
      customFields: [{ label: 'Nom', placeholder: 'Votre nom', required: true }],
      payments: [],
      metadata: { invoice: 17 },
    });
  });

  it('needs nothing but an uppercase countryCode (a free-amount link)', async () => {
    const { status, body } = await createLink({ countryCode: 'GN' });
    expect(status).toBe(201);
    expect(body.data).not.toHaveProperty('amountToPay');
  });

  it.each([
    ['countryCode', { countryCode: undefined }],
    ['countryCode', { countryCode: 'gn' }],
    ['amountToPay', { amountToPay: 10.5 }],
    ['usageType', { usageType: 'SOMETIMES' }],
    ['usageLimit', { usageLimit: 0 }],
    ['returnUrl', { returnUrl: 'http://shop.example/thanks' }],
    ['cancelUrl', { cancelUrl: 'ftp://shop.example' }],
    ['expiresAt', { expiresAt: '2020-01-01T00:00:00Z' }],
    ['expiresAt', { expiresAt: 'tomorrow' }],
    ['phoneNumber', { phoneNumber: '620000000' }],
    ['metadata', { metadata: { a: { b: 1 } } }],
    ['customFields', { customFields: [{ placeholder: 'no label' }] }],
  ])('refuses an invalid %s with 400', async (field, change) => {
    const { status, body } = await createLink({ ...bill, ...change });
    expect(status).toBe(400);
    expect(body.error.fieldsErrors).toContain(field);
    expect(djomySchemaErrors(createLinkSchema, body)).toEqual([]);
  });

  it('accepts sendSms without a phone number, silently (no SMS, no error)', async () => {
    expect((await createLink({ ...bill, sendSms: true })).status).toBe(201);
  });
});

describe('GET /v1/links/{ref} and GET /v1/links', () => {
  it('reads a link back, matching the get_payment_link schema', async () => {
    const reference = await linkReference();
    const { status, body } = await getLink(reference);
    expect(status).toBe(200);
    expect(djomySchemaErrors(getLinkSchema, body)).toEqual([]);
    expect(body.data.paymentLinkReference).toBe(reference);
  });

  it('answers 404 for an unknown reference', async () => {
    const { status, body } = await getLink('LNK-UNKNOWN');
    expect(status).toBe(404);
    expect(djomySchemaErrors(getLinkSchema, body)).toEqual([]);
  });

  it('lists links newest first in the page shape', async () => {
    const first = await linkReference();
    const second = await linkReference({ countryCode: 'GN' });
    const { status, body } = await djomy('GET', '/v1/links?size=1', { token });
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ totalElements: 2, totalPages: 2, number: 0, size: 1, last: false });
    expect(body.data.content[0].paymentLinkReference).toBe(second);
    const next = await djomy('GET', '/v1/links?page=1&size=1', { token });
    expect(next.body.data.content[0].paymentLinkReference).toBe(first);
  });
});

describe('payments on a link', () => {
  it('carry the link reference and its merchantReference, and close a UNIQUE link as PAID', async () => {
    const reference = await linkReference();
    const payment = await sim.payLink(reference, { paymentMethod: 'MOMO', phone: '00224661234567' });
    expect(payment).toMatchObject({
      flow: 'link',
      status: 'SUCCESS',
      paidAmount: 75000,
      paymentLinkReference: reference,
      merchantPaymentReference: 'INV-17',
    });
    const status = await djomy('GET', `/v1/payments/${payment.transactionId}/status`, { token });
    expect(status.body.data).toMatchObject({
      paymentLinkReference: reference,
      merchantPaymentReference: 'INV-17',
    });
    expect(djomySchemaErrors(verifyPaymentSchema, status.body)).toEqual([]);

    const { body } = await getLink(reference);
    expect(djomySchemaErrors(getLinkSchema, body)).toEqual([]);
    expect(body.data).toMatchObject({ status: 'PAID', numberOfUsage: 1 });
    expect(body.data.payments).toEqual([
      expect.objectContaining({ transactionId: payment.transactionId, status: 'SUCCESS', paidAmount: 75000 }),
    ]);
    await expect(sim.payLink(reference)).rejects.toThrow(/409/);
  });

  it('closes a consumed UNIQUE link as REVOKED when configured so', async () => {
    await sim.config({ consumedUniqueLinkStatus: 'REVOKED' });
    const reference = await linkReference();
    await sim.payLink(reference);
    expect((await getLink(reference)).body.data).toMatchObject({ status: 'REVOKED', numberOfUsage: 1 });
  });

  it('does not count a failed payment', async () => {
    const reference = await linkReference();
    await sim.payLink(reference, { status: 'FAILED' });
    expect((await getLink(reference)).body.data).toMatchObject({ status: 'ACTIVE', numberOfUsage: 0 });
  });

  it('closes a MULTIPLE link without usageLimit after its first success, as observed in production', async () => {
    const reference = await linkReference({ countryCode: 'GN', usageType: 'MULTIPLE' });
    await sim.payLink(reference, { amount: 5000 });
    expect((await getLink(reference)).body.data).toMatchObject({ status: 'PAID', numberOfUsage: 1 });
  });

  it('keeps a MULTIPLE link open until its usageLimit', async () => {
    const reference = await linkReference({ countryCode: 'GN', usageType: 'MULTIPLE', usageLimit: 2 });
    await sim.payLink(reference, { amount: 5000 });
    expect((await getLink(reference)).body.data).toMatchObject({ status: 'ACTIVE', numberOfUsage: 1 });
    await sim.payLink(reference, { amount: 7000 });
    const { body } = await getLink(reference);
    expect(body.data).toMatchObject({ status: 'PAID', numberOfUsage: 2, usageLimit: 2 });
    expect(body.data.payments).toHaveLength(2);
  });

  it('gives link payments an empty merchantPaymentReference when the link has no merchantReference', async () => {
    const reference = await linkReference({ countryCode: 'GN', amountToPay: 1000 });
    expect((await sim.payLink(reference)).merchantPaymentReference).toBe('');
  });

  it('refuses a payment without an amount on a free-amount link', async () => {
    const reference = await linkReference({ countryCode: 'GN' });
    await expect(sim.payLink(reference)).rejects.toThrow(/409/);
  });

  it('expires an active link after expiresAt', async () => {
    const expiresAt = new Date(Date.now() + 1000).toISOString();
    const reference = await linkReference({ ...bill, expiresAt });
    await new Promise((done) => setTimeout(done, 1100));
    expect((await getLink(reference)).body.data.status).toBe('EXPIRED');
    await expect(sim.payLink(reference)).rejects.toThrow(/409/);
  });
});

describe('link variants Djomy is known to show (sandbox quirks, legacy names)', () => {
  // The schema's status enum has no ENABLED: this is the sandbox as observed (docs/djomy.md#field-variants).
  it('shows ENABLED and no payments under sandbox quirks, while numberOfUsage still moves', async () => {
    await sim.config({ sandboxQuirks: true });
    const reference = await linkReference({ ...bill, usageType: 'MULTIPLE', usageLimit: 5 });
    await sim.payLink(reference, { paymentMethod: 'MOMO' });
    expect((await getLink(reference)).body.data).toMatchObject({
      status: 'ENABLED',
      numberOfUsage: 1,
      payments: [],
    });
  });

  it('names the fields reference and url only under legacyNames', async () => {
    await sim.config({ legacyNames: true });
    const { body } = await createLink(bill);
    expect(body.data.reference).toMatch(/^LNK-/);
    expect(body.data.url).toBe(`${SIM_ORIGIN}/links/${body.data.reference}`);
    expect(body.data).not.toHaveProperty('paymentLinkReference');
    expect(body.data).not.toHaveProperty('paymentPageUrl');
  });
});
