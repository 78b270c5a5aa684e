import { beforeEach, describe, expect, it } from 'vitest';
import gatewaySchema from '../fixtures/afrotools-djomy/create_payment_gateway.schema.json';
import verifyPaymentSchema from '../fixtures/afrotools-djomy/verify_payment.schema.json';
import { djomy, djomySchemaErrors, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

let token: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
});

const valid = {
  amount: 50000,
  countryCode: 'GN',
  payerNumber: '00224620123456',
  merchantPaymentReference: 'pay_gw',
  description: 'Panier',
  returnUrl: 'https://edge.example/return/pay_gw',
  cancelUrl: 'https://edge.example/cancel/pay_gw',
  metadata: { cart: 'C-9' },
};

const createGateway = (body: unknown) => djomy('POST', '/v1/payments/gateway', { token, body });
const status = async (id: string) => (await djomy('GET', `/v1/payments/${id}/status`, { token })).body;
const openPortal = (id: string) => fetch(`${SIM_ORIGIN}/portal/${id}`);
const submitPortal = (id: string, form: Record<string, string>) =>
  fetch(`${SIM_ORIGIN}/portal/${id}`, {
    method: 'POST',
    body: new URLSearchParams(form),
    redirect: 'manual',
  });

async function gatewayPayment(body: Record<string, unknown> = valid): Promise<string> {
  const { body: answer } = await createGateway(body);
  return answer.data.transactionId;
}

describe('POST /v1/payments/gateway', () => {
  it('creates a CREATED payment whose redirectUrl and paymentUrl open the sim portal', async () => {
    const { status: code, body } = await createGateway(valid);
    expect(code).toBe(201);
    expect(djomySchemaErrors(gatewaySchema, body)).toEqual([]);
    const portal = `${SIM_ORIGIN}/portal/${body.data.transactionId}`;
    expect(body.data).toMatchObject({
      status: 'CREATED',
      paidAmount: 50000,
      merchantPaymentReference: 'pay_gw',
      redirectUrl: portal,
      paymentUrl: portal,
      allowedPaymentMethods: ['OM', 'MOMO', 'SOUTRA_MONEY', 'PAYCARD', 'CARD'],
      metadata: { cart: 'C-9' },
    });
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
  ])('refuses a %s payerNumber with the exact Djomy message', async (_case, payerNumber) => {
    const { status: code, body } = await createGateway({ ...valid, payerNumber });
    expect(code).toBe(400);
    expect(body.message).toBe('Le numéro de téléphone du payeur est obligatoire.');
    expect(body.error).toMatchObject({
      message: 'Le numéro de téléphone du payeur est obligatoire.',
      fieldsErrors: ['payerNumber'],
    });
    expect(djomySchemaErrors(gatewaySchema, body)).toEqual([]);
  });

  it('refuses a malformed payerNumber with another message', async () => {
    const { status: code, body } = await createGateway({ ...valid, payerNumber: '620123456' });
    expect(code).toBe(400);
    expect(body.error.message).not.toBe('Le numéro de téléphone du payeur est obligatoire.');
  });

  it.each([
    ['amount', { amount: 10.5 }],
    ['countryCode', { countryCode: 'gn' }],
    ['returnUrl', { returnUrl: 'http://shop.example/r' }],
    ['metadata', { metadata: { nested: { a: 1 } } }],
  ])('refuses an invalid %s', async (field, change) => {
    const { status: code, body } = await createGateway({ ...valid, ...change });
    expect(code).toBe(400);
    expect(body.error.fieldsErrors).toContain(field);
  });

  it('keeps a valid allowedPaymentMethods filter', async () => {
    const { body } = await createGateway({ ...valid, allowedPaymentMethods: ['MOMO', 'CARD'] });
    expect(body.data.allowedPaymentMethods).toEqual(['MOMO', 'CARD']);
  });

  it('silently ignores a filter with an unknown value and offers every method', async () => {
    const { status: code, body } = await createGateway({ ...valid, allowedPaymentMethods: ['OM', 'VISA'] });
    expect(code).toBe(201);
    expect(body.data.allowedPaymentMethods).toEqual(['OM', 'MOMO', 'SOUTRA_MONEY', 'PAYCARD', 'CARD']);
  });
});

describe('the hosted portal', () => {
  it('moves the payment to REDIRECTED when opened (REDIRECTED is in the verify_payment enum)', async () => {
    const id = await gatewayPayment();
    const page = await openPortal(id);
    expect(page.status).toBe(200);
    const text = await page.text();
    for (const testId of ['portal-pay', 'portal-fail', 'portal-cancel']) {
      expect(text).toContain(`data-testid="${testId}"`);
    }
    expect(text).toContain('pay_gw');
    const body = await status(id);
    expect(body.data.status).toBe('REDIRECTED');
    expect(djomySchemaErrors(verifyPaymentSchema, body)).toEqual([]);
  });

  it('pays: SUCCESS with the chosen method, then 303 to returnUrl with transactionId and status', async () => {
    const id = await gatewayPayment();
    await openPortal(id);
    const answer = await submitPortal(id, { action: 'pay', method: 'MOMO' });
    expect(answer.status).toBe(303);
    const location = new URL(answer.headers.get('location') as string);
    expect(location.origin + location.pathname).toBe(valid.returnUrl);
    expect(Object.fromEntries(location.searchParams)).toEqual({ transactionId: id, status: 'SUCCESS' });
    expect((await status(id)).data).toMatchObject({ status: 'SUCCESS', paymentMethod: 'MOMO', fees: 500 });
  });

  it('fails: FAILED, then 303 to returnUrl with status=FAILED', async () => {
    const id = await gatewayPayment();
    const answer = await submitPortal(id, { action: 'fail', method: 'OM' });
    expect(new URL(answer.headers.get('location') as string).searchParams.get('status')).toBe('FAILED');
    expect((await sim.payment(id)).status).toBe('FAILED');
  });

  it('cancels: CANCELLED, then 303 to cancelUrl', async () => {
    const id = await gatewayPayment();
    const answer = await submitPortal(id, { action: 'cancel' });
    const location = new URL(answer.headers.get('location') as string);
    expect(location.pathname).toBe('/cancel/pay_gw');
    expect(location.searchParams.get('status')).toBe('CANCELLED');
  });

  it('sends a cancel to returnUrl when there is no cancelUrl', async () => {
    const id = await gatewayPayment({ ...valid, cancelUrl: undefined });
    const answer = await submitPortal(id, { action: 'cancel' });
    expect(new URL(answer.headers.get('location') as string).pathname).toBe('/return/pay_gw');
  });

  it('leaves the parameters out when returnParams is off', async () => {
    await sim.config({ returnParams: false });
    const id = await gatewayPayment();
    const answer = await submitPortal(id, { action: 'pay', method: 'OM' });
    expect(answer.headers.get('location')).toBe(valid.returnUrl);
  });

  it('shows an outcome page when there is no return URL', async () => {
    const id = await gatewayPayment({ ...valid, returnUrl: undefined, cancelUrl: undefined });
    const answer = await submitPortal(id, { action: 'pay', method: 'OM' });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('data-testid="outcome-status">SUCCESS');
  });

  it('refuses a second submission once the payment is terminal', async () => {
    const id = await gatewayPayment();
    await submitPortal(id, { action: 'pay', method: 'OM' });
    expect((await submitPortal(id, { action: 'fail' })).status).toBe(409);
    expect((await sim.payment(id)).status).toBe('SUCCESS');
  });

  it('fails an OM payment under sandbox quirks', async () => {
    await sim.config({ sandboxQuirks: true });
    const id = await gatewayPayment();
    await submitPortal(id, { action: 'pay', method: 'OM' });
    expect((await sim.payment(id)).status).toBe('FAILED');
  });

  it('answers 404 for an unknown or direct payment', async () => {
    expect((await openPortal(crypto.randomUUID())).status).toBe(404);
  });
});

describe('gateway session timeout', () => {
  it('turns an open gateway payment into TIMEOUT after gatewayTimeoutMinutes, on read', async () => {
    const id = await gatewayPayment();
    await openPortal(id);
    await sim.config({ gatewayTimeoutMinutes: 0 });
    const body = await status(id);
    expect(body.data.status).toBe('TIMEOUT');
    expect(djomySchemaErrors(verifyPaymentSchema, body)).toEqual([]);
    const events = (await sim.webhooks()).events.map((e) => e.eventType);
    expect(events).toEqual(['payment.created', 'payment.redirected', 'payment.timeout']);
  });

  it('leaves a gateway payment open before the deadline', async () => {
    const id = await gatewayPayment();
    expect((await status(id)).data.status).toBe('CREATED');
  });
});
