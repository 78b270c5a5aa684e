import { beforeEach, describe, expect, it } from 'vitest';
import confirmOtpSchema from '../fixtures/afrotools-djomy/confirm_otp.schema.json';
import createPaymentSchema from '../fixtures/afrotools-djomy/create_payment.schema.json';
import verifyPaymentSchema from '../fixtures/afrotools-djomy/verify_payment.schema.json';
import { djomy, djomySchemaErrors, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

let token: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
});

const valid = {
  paymentMethod: 'OM',
  payerIdentifier: '00224620123456',
  amount: 30000,
  countryCode: 'GN',
  description: 'Commande 42',
  merchantPaymentReference: 'pay_abc',
  returnUrl: 'https://shop.example/return',
  metadata: { orderId: 'ORD-1', vip: true, items: 3 },
};

const create = (body: unknown) => djomy('POST', '/v1/payments', { token, body });
const status = (id: string) => djomy('GET', `/v1/payments/${id}/status`, { token });
const confirm = (id: string, oneTimePin: unknown) =>
  djomy('POST', `/v1/payments/${id}/confirmOTP`, { token, body: { oneTimePin } });

describe('POST /v1/payments (direct)', () => {
  it('creates a PENDING payment, answered 201 and matching the create_payment schema', async () => {
    const { status: code, body } = await create(valid);
    expect(code).toBe(201);
    expect(djomySchemaErrors(createPaymentSchema, body)).toEqual([]);
    expect(body).toMatchObject({ success: true, status: 201, error: null });
    expect(body.data).toMatchObject({
      status: 'PENDING',
      paidAmount: 30000,
      paymentMethod: 'OM',
      merchantPaymentReference: 'pay_abc',
      allowedPaymentMethods: ['OM'],
      metadata: valid.metadata,
    });
    expect(body.data.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(body.data).not.toHaveProperty('redirectUrl');
  });

  it.each([
    ['OM', 'otp'],
    ['MOMO', 'otp'],
    ['PAYCARD', 'otp'],
    ['SOUTRA_MONEY', 'push'],
    ['YMO', 'push'],
  ])('puts %s in %s mode by default, with a random 4–6 digit OTP only in otp mode', async (method, mode) => {
    const payerIdentifier = method === 'PAYCARD' ? '123456789' : valid.payerIdentifier;
    const { body } = await create({ ...valid, paymentMethod: method, payerIdentifier });
    const truth = await sim.payment(body.data.transactionId);
    expect(truth.mode).toBe(mode);
    if (mode === 'otp') expect(truth.otp).toMatch(/^\d{4,6}$/);
    else expect(truth.otp).toBeNull();
  });

  it('gives each payment its own OTP (no magic value)', async () => {
    const otps = new Set<string | null>();
    for (let i = 0; i < 8; i++) {
      const { body } = await create(valid);
      otps.add((await sim.payment(body.data.transactionId)).otp);
    }
    expect(otps.size).toBeGreaterThan(1);
  });

  it('switches a method to push mode through methodModes', async () => {
    await sim.config({ methodModes: { OM: 'push' } });
    const { body } = await create(valid);
    expect(await sim.payment(body.data.transactionId)).toMatchObject({ mode: 'push', otp: null });
    expect((await sim.getConfig()).methodModes.MOMO).toBe('otp');
  });

  it('returns a KULU payment with redirectUrl and paymentUrl to the sim KULU page', async () => {
    const { body } = await create({ ...valid, paymentMethod: 'KULU' });
    const url = `${SIM_ORIGIN}/kulu/${body.data.transactionId}`;
    expect(body.data).toMatchObject({ redirectUrl: url, paymentUrl: url });
    expect(djomySchemaErrors(createPaymentSchema, body)).toEqual([]);
  });

  it('names the KULU URL only paymentUrl under legacyNames', async () => {
    await sim.config({ legacyNames: true });
    const { body } = await create({ ...valid, paymentMethod: 'KULU' });
    expect(body.data.paymentUrl).toContain('/kulu/');
    expect(body.data).not.toHaveProperty('redirectUrl');
  });

  it('accepts http return URLs on loopback hosts only', async () => {
    for (const returnUrl of [
      'http://localhost:8787/return/1',
      'http://127.0.0.1/r',
      'http://[::1]:8787/r',
      'http://edge.localhost/r',
    ]) {
      expect((await create({ ...valid, returnUrl, cancelUrl: returnUrl })).status).toBe(201);
    }
  });

  it('accepts SL and LR payments with their phones and up to two decimals', async () => {
    const sl = await create({ ...valid, countryCode: 'SL', payerIdentifier: '0023276123456', amount: 12.34 });
    expect(sl.status).toBe(201);
    const lr = await create({
      ...valid,
      countryCode: 'LR',
      payerIdentifier: '00231771234567',
      amount: 10.25,
    });
    expect(lr.status).toBe(201);
    expect((await status(sl.body.data.transactionId)).body.data.currency).toBe('Leones');
    expect((await status(lr.body.data.transactionId)).body.data.currency).toBe('Dollar');
    await sim.complete(sl.body.data.transactionId, 'SUCCESS');
    expect((await status(sl.body.data.transactionId)).body.data).toMatchObject({
      fees: 0.12,
      receivedAmount: 12.22,
    });
  });

  it('refuses more than two decimals outside GNF', async () => {
    const { status: code, body } = await create({
      ...valid,
      countryCode: 'SL',
      payerIdentifier: '0023276123456',
      amount: 12.345,
    });
    expect(code).toBe(400);
    expect(body.error.fieldsErrors).toEqual(['amount']);
  });

  it.each([
    ['CARD on the direct endpoint', { paymentMethod: 'CARD' }, 'paymentMethod'],
    ['an unknown method', { paymentMethod: 'WAVE' }, 'paymentMethod'],
    ['a missing method', { paymentMethod: undefined }, 'paymentMethod'],
    ['a GNF amount with decimals', { amount: 100.5 }, 'amount'],
    ['a zero amount', { amount: 0 }, 'amount'],
    ['a negative amount', { amount: -5 }, 'amount'],
    ['an amount sent as text', { amount: '30000' }, 'amount'],
    ['a lowercase countryCode', { countryCode: 'gn' }, 'countryCode'],
    ['a missing countryCode', { countryCode: undefined }, 'countryCode'],
    ['an unsupported country', { countryCode: 'FR' }, 'countryCode'],
    ['a local phone number', { payerIdentifier: '620123456' }, 'payerIdentifier'],
    ['a +224 phone number', { payerIdentifier: '+224620123456' }, 'payerIdentifier'],
    ['a GN phone not starting with 6', { payerIdentifier: '00224520123456' }, 'payerIdentifier'],
    [
      'a PAYCARD account with letters',
      { paymentMethod: 'PAYCARD', payerIdentifier: '12AB' },
      'payerIdentifier',
    ],
    ['a description over 255 characters', { description: 'x'.repeat(256) }, 'description'],
    [
      'a reference over 255 characters',
      { merchantPaymentReference: 'r'.repeat(256) },
      'merchantPaymentReference',
    ],
    ['an http returnUrl on a public host', { returnUrl: 'http://shop.example/r' }, 'returnUrl'],
    ['a cancelUrl that is not a URL', { cancelUrl: 'not a url' }, 'cancelUrl'],
    ['nested metadata', { metadata: { customer: { id: 1 } } }, 'metadata'],
    ['metadata with an array', { metadata: { tags: ['a'] } }, 'metadata'],
  ])('refuses %s with 400 naming the field', async (_case, change, field) => {
    const { status: code, body } = await create({ ...valid, ...change });
    expect(code).toBe(400);
    expect(body).toMatchObject({ success: false, status: 400, data: null });
    expect(body.error.code).toBe(400);
    expect(body.error.fieldsErrors).toContain(field);
    expect(body.error.message).toEqual(expect.any(String));
    expect(djomySchemaErrors(createPaymentSchema, body)).toEqual([]);
  });

  it('lists every invalid field at once', async () => {
    const { body } = await create({
      ...valid,
      amount: 1.5,
      countryCode: 'gn',
      returnUrl: 'http://x.example',
    });
    expect(body.error.fieldsErrors).toEqual(expect.arrayContaining(['countryCode', 'returnUrl']));
  });

  it('refuses a malformed JSON body or a non-object body with a 400 envelope', async () => {
    for (const body of ['{"amount":', '[1,2]', '']) {
      const answer = await djomy('POST', '/v1/payments', { token, body });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ success: false, status: 400 });
    }
  });

  it('creates nothing when refused', async () => {
    await create({ ...valid, countryCode: 'gn' });
    expect(await sim.payments()).toEqual([]);
  });
});

describe('POST /v1/payments/{id}/confirmOTP', () => {
  async function otpPayment(body: Record<string, unknown> = valid) {
    const created = await create(body);
    const truth = await sim.payment(created.body.data.transactionId);
    return { id: truth.transactionId, otp: truth.otp as string };
  }

  it('confirms with the right OTP: 200, SUCCESS, fees and provider reference, confirm_otp schema', async () => {
    const { id, otp } = await otpPayment();
    const { status: code, body } = await confirm(id, otp);
    expect(code).toBe(200);
    expect(djomySchemaErrors(confirmOtpSchema, body)).toEqual([]);
    expect(body.data).toMatchObject({
      transactionId: id,
      status: 'SUCCESS',
      paidAmount: 30000,
      fees: 300,
      receivedAmount: 29700,
      currency: 'GNF',
    });
    expect(body.data.providerReference).toMatch(/^OM-\d+$/);
  });

  it('refuses a wrong OTP with 400 and leaves the payment PENDING', async () => {
    const { id, otp } = await otpPayment();
    const wrong = otp === '0000' ? '1111' : '0000';
    const { status: code, body } = await confirm(id, wrong);
    expect(code).toBe(400);
    expect(body.error.fieldsErrors).toEqual(['oneTimePin']);
    expect((await sim.payment(id)).status).toBe('PENDING');
    expect((await confirm(id, otp)).body.data.status).toBe('SUCCESS');
  });

  it.each(['123', '1234567', '12ab', 1234, ''])(
    'refuses the pin %j (not 4–6 digits) with 400',
    async (pin) => {
      const { id } = await otpPayment();
      const { status: code, body } = await confirm(id, pin);
      expect(code).toBe(400);
      expect(body.error.fieldsErrors).toContain('oneTimePin');
    },
  );

  it('refuses confirmOTP on a push-mode payment', async () => {
    const { body } = await create({ ...valid, paymentMethod: 'SOUTRA_MONEY' });
    expect((await confirm(body.data.transactionId, '1234')).status).toBe(400);
  });

  it('refuses confirmOTP on a gateway payment', async () => {
    const gateway = await djomy('POST', '/v1/payments/gateway', {
      token,
      body: { amount: 1000, countryCode: 'GN', payerNumber: '00224620123456' },
    });
    expect((await confirm(gateway.body.data.transactionId, '1234')).status).toBe(400);
  });

  it('refuses confirmOTP on a payment that is already terminal', async () => {
    const { id, otp } = await otpPayment();
    await confirm(id, otp);
    expect((await confirm(id, otp)).status).toBe(400);
  });

  it('answers 404 for an unknown transaction', async () => {
    const { status: code, body } = await confirm(crypto.randomUUID(), '1234');
    expect(code).toBe(404);
    expect(body).toMatchObject({ success: false, status: 404 });
  });

  it('makes OM fail even with the right OTP under sandbox quirks (OM always fails in sandbox)', async () => {
    await sim.config({ sandboxQuirks: true });
    const { id, otp } = await otpPayment();
    expect((await confirm(id, otp)).body.data.status).toBe('FAILED');
  });
});

describe('GET /v1/payments/{id}/status', () => {
  it('answers the status object, matching the verify_payment schema', async () => {
    const created = await create(valid);
    const id = created.body.data.transactionId;
    const { status: code, body } = await status(id);
    expect(code).toBe(200);
    expect(djomySchemaErrors(verifyPaymentSchema, body)).toEqual([]);
    expect(body.data).toEqual({
      transactionId: id,
      status: 'PENDING',
      paidAmount: 30000,
      receivedAmount: 0,
      fees: 0,
      paymentMethod: 'OM',
      payerIdentifier: '00224620123456',
      currency: 'GNF',
      merchantPaymentReference: 'pay_abc',
      createdAt: created.body.data.createdAt,
      allowedPaymentMethods: ['OM'],
      metadata: valid.metadata,
    });
  });

  it('rounds the 1 % fee to whole GNF once the payment succeeds', async () => {
    const { body } = await create({ ...valid, amount: 12_345 });
    await sim.complete(body.data.transactionId, 'SUCCESS');
    const { data } = (await status(body.data.transactionId)).body;
    expect(data).toMatchObject({ fees: 123, receivedAmount: 12_222 });
  });

  it('sends an empty merchantPaymentReference when none was given', async () => {
    const { body } = await create({ ...valid, merchantPaymentReference: undefined });
    expect((await status(body.data.transactionId)).body.data.merchantPaymentReference).toBe('');
  });

  // A test may force any label (docs/djomy.md#currencies); the schema's currency enum then no longer holds.
  it('reports a forced currency label, even one outside the schema enum', async () => {
    await sim.config({ currencyLabel: 'Francs' });
    const { body } = await create(valid);
    expect((await status(body.data.transactionId)).body.data.currency).toBe('Francs');
  });

  it('answers 404 for an unknown transaction', async () => {
    expect((await status(crypto.randomUUID())).status).toBe(404);
  });
});

describe('paths outside the project scope', () => {
  it.each([
    ['GET', '/v1/payments/00000000-0000-4000-8000-000000000000'],
    ['POST', '/v1/auth/login'],
    ['POST', '/v1/auth/token'],
    ['POST', '/v1/payout-orders'],
    ['GET', '/v1/payout-orders'],
    ['POST', '/v1/payments/x/confirm-otp'],
    ['GET', '/nothing/here'],
  ])('%s %s answers a 404 envelope', async (method, path) => {
    const { status: code, body } = await djomy(method, path, {
      token,
      body: method === 'POST' ? {} : undefined,
    });
    expect(code).toBe(404);
    expect(body).toMatchObject({ success: false, status: 404, data: null, error: { code: 404 } });
  });
});
