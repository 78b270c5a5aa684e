import { beforeEach, describe, expect, it } from 'vitest';
import { TEST_HOSTS } from '../support/constants.ts';
import {
  djomy,
  djomyHeaders,
  djomyToken,
  SIM_ORIGIN,
  sim,
  TEST_NUMBERS,
  type TestBehaviour,
} from '../support/sim.ts';

let token: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
});

const phoneOf = (behaviour: TestBehaviour) => TEST_NUMBERS[behaviour].phone;
const ORDINARY = '00224620000008';
/**
 * The late success's delay in these tests, and the wait that passes it: long
 * enough that the reads meant to come before it still do on a loaded machine.
 */
const LATE = 1.5;
const AFTER_LATE = 1_600;

function createDirect(payer: string, extra: Record<string, unknown> = {}) {
  return djomy('POST', '/v1/payments', {
    token,
    body: { paymentMethod: 'OM', payerIdentifier: payer, amount: 20000, countryCode: 'GN', ...extra },
  });
}

function createGateway(payer: string, extra: Record<string, unknown> = {}) {
  return djomy('POST', '/v1/payments/gateway', {
    token,
    body: { amount: 5000, countryCode: 'GN', payerNumber: payer, ...extra },
  });
}

const statusOf = async (id: string) => (await djomy('GET', `/v1/payments/${id}/status`, { token })).body.data;
const confirmOtp = (id: string, oneTimePin: string) =>
  djomy('POST', `/v1/payments/${id}/confirmOTP`, { token, body: { oneTimePin } });
const eventsOf = async (id: string) => (await sim.webhooks()).events.filter((e) => e.transactionId === id);
const eventTypes = async (id: string) => (await eventsOf(id)).map((e) => e.eventType);
const form = (path: string, fields: Record<string, string> = {}) =>
  fetch(`${SIM_ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
const pay = (id: string) => form(`/portal/${id}`, { action: 'pay' });

describe('the test numbers', () => {
  it('are Guinean numbers as the Worker sends them, each with a national form and French and English texts', () => {
    const numbers = Object.values(TEST_NUMBERS);
    expect(new Set(numbers.map((n) => n.phone)).size).toBe(numbers.length);
    for (const number of numbers) {
      expect(number.phone).toMatch(/^002246\d{8}$/);
      expect(`00224${number.national}`).toBe(number.phone);
      for (const text of [number.label.fr, number.label.en, number.effect.fr, number.effect.en]) {
        expect(text.length).toBeGreaterThan(0);
      }
    }
  });

  it('leave any other number as it was: the OTP confirms the full amount', async () => {
    const { body } = await createDirect(ORDINARY);
    const id = body.data.transactionId;
    const { otp } = await sim.payment(id);
    const answer = await confirmOtp(id, otp ?? '');
    expect(answer.body.data).toMatchObject({ status: 'SUCCESS', paidAmount: 20000 });
  });
});

describe('620000001: the payer approves at once', () => {
  it('answers the direct create PENDING, then the payment is SUCCESS with its webhooks', async () => {
    const { status, body } = await createDirect(phoneOf('approve'));
    expect(status).toBe(201);
    expect(body.data.status).toBe('PENDING');
    const id = body.data.transactionId;
    expect(await statusOf(id)).toMatchObject({ status: 'SUCCESS', paidAmount: 20000, fees: 200 });
    expect(await eventTypes(id)).toEqual(['payment.pending', 'payment.success']);
  });

  it('approves push and KULU payments too, without the phone or the KULU page', async () => {
    for (const paymentMethod of ['SOUTRA_MONEY', 'KULU']) {
      const id = (await createDirect(phoneOf('approve'), { paymentMethod })).body.data.transactionId;
      expect((await statusOf(id)).status).toBe('SUCCESS');
    }
  });

  it('leaves a gateway payment to the portal, as usual', async () => {
    const id = (await createGateway(phoneOf('approve'))).body.data.transactionId;
    expect((await statusOf(id)).status).toBe('CREATED');
    await pay(id);
    expect((await statusOf(id)).status).toBe('SUCCESS');
  });
});

describe('620000002: the payer declines', () => {
  it('fails a direct payment right after creation, with its webhooks', async () => {
    const { body } = await createDirect(phoneOf('decline'));
    expect(body.data.status).toBe('PENDING');
    const id = body.data.transactionId;
    expect((await statusOf(id)).status).toBe('FAILED');
    expect(await eventTypes(id)).toEqual(['payment.pending', 'payment.failed']);
  });

  it('fails a gateway payment when the payer pays on the portal', async () => {
    const id = (await createGateway(phoneOf('decline'))).body.data.transactionId;
    expect((await statusOf(id)).status).toBe('CREATED');
    await pay(id);
    expect((await statusOf(id)).status).toBe('FAILED');
  });

  it('fails a link payment by this payer', async () => {
    const link = await djomy('POST', '/v1/links', { token, body: { countryCode: 'GN', amountToPay: 3000 } });
    const payment = await sim.payLink(link.body.data.paymentLinkReference, { phone: phoneOf('decline') });
    expect(payment.status).toBe('FAILED');
  });
});

describe('620000003: every OTP is wrong', () => {
  it('refuses even the right code as wrong, and the payment stays PENDING', async () => {
    const id = (await createDirect(phoneOf('wrongOtp'))).body.data.transactionId;
    const { otp } = await sim.payment(id);
    for (const code of [otp ?? '', '0000', '123456']) {
      const { status, body } = await confirmOtp(id, code);
      expect(status).toBe(400);
      expect(body).toMatchObject({ success: false, message: 'Code OTP incorrect.' });
      expect(body.error.fieldsErrors).toEqual(['oneTimePin']);
    }
    expect((await statusOf(id)).status).toBe('PENDING');
    expect(await eventTypes(id)).toEqual(['payment.pending']);
  });

  it('still lets the payer approve on the phone page', async () => {
    const id = (await createDirect(phoneOf('wrongOtp'))).body.data.transactionId;
    await form(`/__sim/phone/${id}/approve`);
    expect((await statusOf(id)).status).toBe('SUCCESS');
  });
});

describe('620000004: the answer of a create is lost', () => {
  const raw = async (path: string, body: unknown) =>
    fetch(`${SIM_ORIGIN}${path}`, {
      method: 'POST',
      headers: await djomyHeaders(token),
      body: JSON.stringify(body),
    });

  it('creates the direct payment, answers 201, then fails the body read', async () => {
    const response = await raw('/v1/payments', {
      paymentMethod: 'OM',
      payerIdentifier: phoneOf('answerLost'),
      amount: 20000,
      countryCode: 'GN',
      merchantPaymentReference: 'ORDER-LOST-1',
    });
    expect(response.status).toBe(201);
    await expect(response.text()).rejects.toThrow();
    const [payment] = await sim.payments();
    expect(payment).toMatchObject({ status: 'PENDING', merchantPaymentReference: 'ORDER-LOST-1' });
    expect(await eventTypes(payment?.transactionId ?? '')).toEqual(['payment.pending']);
  });

  it('creates the gateway payment, answers 201, then fails the body read', async () => {
    const response = await raw('/v1/payments/gateway', {
      amount: 5000,
      countryCode: 'GN',
      payerNumber: phoneOf('answerLost'),
      merchantPaymentReference: 'ORDER-LOST-2',
    });
    expect(response.status).toBe(201);
    await expect(response.text()).rejects.toThrow();
    expect(await sim.payments()).toMatchObject([{ flow: 'gateway', status: 'CREATED' }]);
  });

  it('answers every other call about the payment normally', async () => {
    const lost = await raw('/v1/payments', {
      paymentMethod: 'OM',
      payerIdentifier: phoneOf('answerLost'),
      amount: 20000,
      countryCode: 'GN',
    });
    await lost.body?.cancel().catch(() => {});
    const [payment] = await sim.payments();
    const id = payment?.transactionId ?? '';
    expect((await statusOf(id)).status).toBe('PENDING');
    const confirmed = await confirmOtp(id, payment?.otp ?? '');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data.status).toBe('SUCCESS');
  });
});

describe('620000005: no webhook is ever sent', () => {
  // Deliveries go to the Worker under test, the only receiver these tests have.
  beforeEach(() =>
    sim.config({ webhookUrl: `http://${TEST_HOSTS.edge}/webhooks/djomy`, webhookRetry: { attempts: 1 } }),
  );

  it('builds the events but delivers none of them, whatever happens to the payment', async () => {
    const silent = (await createDirect(phoneOf('webhookNeverSent'))).body.data.transactionId;
    const ordinary = (await createDirect(ORDINARY)).body.data.transactionId;
    await sim.complete(silent, 'SUCCESS');
    await sim.complete(silent, 'REFUNDED');
    const log = await sim.drainWebhooks();
    expect(await eventTypes(silent)).toEqual(['payment.pending', 'payment.success', 'payment.refunded']);
    const silentOutcomes = log.deliveries.filter((d) => d.transactionId === silent).map((d) => d.outcome);
    expect(silentOutcomes).toEqual(['dropped', 'dropped', 'dropped']);
    const ordinaryOutcomes = log.deliveries.filter((d) => d.transactionId === ordinary).map((d) => d.outcome);
    expect(ordinaryOutcomes).toHaveLength(1);
    expect(typeof ordinaryOutcomes[0]).toBe('number');
  });

  it('applies to gateway payments too', async () => {
    const id = (await createGateway(phoneOf('webhookNeverSent'))).body.data.transactionId;
    await pay(id);
    const log = await sim.drainWebhooks();
    expect(log.deliveries.filter((d) => d.transactionId === id).map((d) => d.outcome)).toEqual([
      'dropped',
      'dropped',
    ]);
  });
});

describe('620000006: the success comes late', () => {
  it('defaults to 120 s, settable with lateSuccessSeconds', async () => {
    expect((await sim.getConfig()).lateSuccessSeconds).toBe(120);
    expect((await sim.config({ lateSuccessSeconds: 5 })).lateSuccessSeconds).toBe(5);
    await expect(sim.config({ lateSuccessSeconds: -1 })).rejects.toThrow(/400/);
  });

  it('accepts the OTP with 200 PENDING; phone approvals and declines change nothing', async () => {
    const id = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    const { otp } = await sim.payment(id);
    const confirmed = await confirmOtp(id, otp ?? '');
    expect(confirmed.status).toBe(200);
    expect(confirmed.body.data.status).toBe('PENDING');
    expect((await confirmOtp(id, otp === '0000' ? '1111' : '0000')).status).toBe(400);
    expect((await form(`/__sim/phone/${id}/approve`)).status).toBe(303);
    expect((await form(`/__sim/phone/${id}/decline`)).status).toBe(303);
    expect((await statusOf(id)).status).toBe('PENDING');
    expect(await eventTypes(id)).toEqual(['payment.pending']);
  });

  it('turns SUCCESS, once and with its webhook, when read after lateSuccessSeconds', async () => {
    await sim.config({ lateSuccessSeconds: LATE });
    const id = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    expect((await statusOf(id)).status).toBe('PENDING');
    await new Promise((done) => setTimeout(done, AFTER_LATE));
    expect(await statusOf(id)).toMatchObject({ status: 'SUCCESS', paidAmount: 20000 });
    expect((await statusOf(id)).status).toBe('SUCCESS');
    expect(await eventTypes(id)).toEqual(['payment.pending', 'payment.success']);
  });

  it('is settled by whatever reads it: the payment list and /__sim/payments', async () => {
    await sim.config({ lateSuccessSeconds: LATE });
    const a = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    const b = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    await new Promise((done) => setTimeout(done, AFTER_LATE));
    const list = await djomy('GET', '/v1/payments?statuses=SUCCESS,PENDING', { token });
    expect(list.body.data.content.find((p: { transactionId: string }) => p.transactionId === a)?.status).toBe(
      'SUCCESS',
    );
    expect((await sim.payment(b)).status).toBe('SUCCESS');
  });

  it('can succeed now from the phone page, with its webhook', async () => {
    const id = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    const page = await (await fetch(`${SIM_ORIGIN}/__sim/phone`)).text();
    expect(page).toContain(`data-testid="phone-late-success-${id}"`);
    expect((await form(`/__sim/phone/${id}/late-success`)).status).toBe(303);
    expect((await statusOf(id)).status).toBe('SUCCESS');
    expect(await eventTypes(id)).toEqual(['payment.pending', 'payment.success']);
    expect((await form(`/__sim/phone/${id}/late-success`)).status).toBe(409);
  });

  it('offers no late success button for an ordinary payment', async () => {
    const id = (await createDirect(ORDINARY)).body.data.transactionId;
    expect((await form(`/__sim/phone/${id}/late-success`)).status).toBe(409);
    expect(await (await fetch(`${SIM_ORIGIN}/__sim/phone`)).text()).not.toContain('phone-late-success-');
  });

  it('can succeed now with /__sim/payments/{id}/complete', async () => {
    const id = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    await sim.complete(id, 'SUCCESS');
    expect((await statusOf(id)).status).toBe('SUCCESS');
  });

  it('holds a gateway payment PENDING after the portal, then succeeds; the portal returns PENDING', async () => {
    await sim.config({ lateSuccessSeconds: LATE });
    const id = (await createGateway(phoneOf('lateSuccess'), { returnUrl: 'https://shop.example/back' })).body
      .data.transactionId;
    await fetch(`${SIM_ORIGIN}/portal/${id}`);
    const back = await pay(id);
    expect(back.headers.get('location')).toBe(`https://shop.example/back?transactionId=${id}&status=PENDING`);
    expect((await statusOf(id)).status).toBe('PENDING');
    await new Promise((done) => setTimeout(done, AFTER_LATE));
    expect((await statusOf(id)).status).toBe('SUCCESS');
    expect(await eventTypes(id)).toEqual([
      'payment.created',
      'payment.redirected',
      'payment.pending',
      'payment.success',
    ]);
  });

  it('does not time the gateway session out before its late success', async () => {
    await sim.config({ gatewayTimeoutMinutes: 0, lateSuccessSeconds: LATE });
    const id = (await createGateway(phoneOf('lateSuccess'))).body.data.transactionId;
    expect((await statusOf(id)).status).toBe('CREATED');
    await new Promise((done) => setTimeout(done, AFTER_LATE));
    expect((await statusOf(id)).status).toBe('SUCCESS');
  });

  it('counts a link payment on the link only when its success comes', async () => {
    await sim.config({ lateSuccessSeconds: LATE });
    const link = await djomy('POST', '/v1/links', { token, body: { countryCode: 'GN', amountToPay: 3000 } });
    const reference = link.body.data.paymentLinkReference;
    const payment = await sim.payLink(reference, { phone: phoneOf('lateSuccess') });
    expect(payment.status).toBe('PENDING');
    expect((await djomy('GET', `/v1/links/${reference}`, { token })).body.data.status).toBe('ACTIVE');
    await new Promise((done) => setTimeout(done, AFTER_LATE));
    const after = (await djomy('GET', `/v1/links/${reference}`, { token })).body.data;
    expect(after).toMatchObject({ status: 'PAID', numberOfUsage: 1 });
    expect(after.payments[0]).toMatchObject({ transactionId: payment.transactionId, status: 'SUCCESS' });
  });
});

describe('620000007: the payer pays 1000 less', () => {
  it('confirms the OTP with SUCCESS for amount − 1000, fees on what was paid, in the webhook too', async () => {
    const id = (await createDirect(phoneOf('amountMismatch'))).body.data.transactionId;
    const { otp } = await sim.payment(id);
    const confirmed = await confirmOtp(id, otp ?? '');
    expect(confirmed.body.data).toMatchObject({ status: 'SUCCESS', paidAmount: 19000, fees: 190 });
    expect((await sim.payment(id)).amount).toBe(20000);
    const success = (await eventsOf(id)).find((e) => e.eventType === 'payment.success');
    expect(JSON.parse(success?.body ?? '{}').data.payment).toMatchObject({ paidAmount: 19000 });
  });

  it('does the same on the phone page and on the portal', async () => {
    const direct = (await createDirect(phoneOf('amountMismatch'), { paymentMethod: 'SOUTRA_MONEY' })).body
      .data.transactionId;
    await form(`/__sim/phone/${direct}/approve`);
    expect(await statusOf(direct)).toMatchObject({ status: 'SUCCESS', paidAmount: 19000 });
    const gateway = (await createGateway(phoneOf('amountMismatch'))).body.data.transactionId;
    await pay(gateway);
    expect(await statusOf(gateway)).toMatchObject({ status: 'SUCCESS', paidAmount: 4000 });
  });

  it('pays at least 1', async () => {
    const id = (await createDirect(phoneOf('amountMismatch'), { amount: 500 })).body.data.transactionId;
    const { otp } = await sim.payment(id);
    expect((await confirmOtp(id, otp ?? '')).body.data.paidAmount).toBe(1);
  });
});

describe('the test numbers on the pages', () => {
  it.each(['/__sim/', '/__sim/phone'])(
    '%s lists every test number with what it does, in French and English',
    async (path) => {
      const text = await (await fetch(`${SIM_ORIGIN}${path}`)).text();
      for (const [behaviour, number] of Object.entries(TEST_NUMBERS)) {
        expect(text).toContain(`data-testid="test-number-${behaviour}"`);
        expect(text).toContain(number.national);
        expect(text).toContain(number.label.fr);
        expect(text).toContain(number.label.en);
      }
    },
  );

  it('name the behaviour next to a payment by a test payer, and nothing for another payer', async () => {
    const special = (await createDirect(phoneOf('lateSuccess'))).body.data.transactionId;
    const ordinary = (await createDirect(ORDINARY)).body.data.transactionId;
    for (const path of ['/__sim/', '/__sim/phone']) {
      const text = await (await fetch(`${SIM_ORIGIN}${path}`)).text();
      expect(text).toMatch(
        new RegExp(`data-testid="test-behaviour-${special}">[^<]*${TEST_NUMBERS.lateSuccess.label.fr}`),
      );
      expect(text).not.toContain(`test-behaviour-${ordinary}`);
    }
  });
});
