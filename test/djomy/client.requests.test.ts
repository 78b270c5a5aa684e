/**
 * What the client puts on the wire (docs/djomy.md#authentication,
 * #request-rules, #confirmotp, #lists): every body validates against the
 * matching afro.tools `input_schema` (test/fixtures/afrotools-djomy), and the
 * headers are exactly those of docs/djomy.md#authentication. A recording
 * fetch notes each request and forwards it to the real `fetch`, so the
 * simulator answers (and accepts) every one of them.
 */

import { type Schema, Validator } from '@cfworker/json-schema';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CreateLinkRequest, DirectPaymentRequest } from '../../src/djomy/schemas.ts';
import { djomyApiKey } from '../../src/djomy/signature.ts';
import confirmOtpSchema from '../fixtures/afrotools-djomy/confirm_otp.schema.json';
import createPaymentSchema from '../fixtures/afrotools-djomy/create_payment.schema.json';
import createGatewaySchema from '../fixtures/afrotools-djomy/create_payment_gateway.schema.json';
import createLinkSchema from '../fixtures/afrotools-djomy/create_payment_link.schema.json';
import { TEST_CREDENTIALS } from '../support/constants.ts';
import {
  completeDirectPayment,
  completeGatewayPayment,
  type Exchange,
  newClient,
  PHONES,
  recordingFetch,
  rejection,
} from '../support/djomy-client.ts';
import { sim } from '../support/sim.ts';

/** Why `instance` does not match the fixture's `input_schema`; empty when it does. */
function inputSchemaErrors(fixture: { input_schema: unknown }, instance: unknown): string[] {
  const validator = new Validator(fixture.input_schema as Schema, '2019-09', false);
  return validator
    .validate(instance)
    .errors.filter((e) => e.keyword !== 'properties')
    .map((e) => `${e.instanceLocation}: ${e.error}`);
}

const FORBIDDEN_HEADERS = ['x-partner-api', 'x-partner-domaine', 'x-test-mode'];

beforeAll(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
});

describe('the headers of a whole session', () => {
  const recorder = recordingFetch();
  let apiKey: string;
  let accessToken: string;

  /** One call of every endpoint, in the order a real integration makes them. */
  beforeAll(async () => {
    apiKey = await djomyApiKey(TEST_CREDENTIALS.clientId, TEST_CREDENTIALS.clientSecret);
    const djomy = newClient({ fetch: recorder.fetch });
    accessToken = (await djomy.authenticate()).accessToken; // the explicit call, not cached
    const direct = await djomy.createDirectPayment(completeDirectPayment());
    await djomy.confirmOtp(direct.transactionId, (await sim.payment(direct.transactionId)).otp as string);
    await djomy.getPaymentStatus(direct.transactionId);
    await djomy.createGatewayPayment(completeGatewayPayment());
    await djomy.listPayments({ statuses: ['SUCCESS'] });
    const link = await djomy.createLink({ countryCode: 'GN', usageType: 'UNIQUE', amountToPay: 1000 });
    await djomy.getLink(link.reference);
    await djomy.listLinks();
  });

  const business = () => recorder.exchanges.filter((request) => request.url.pathname !== '/v1/auth');
  const auths = () => recorder.exchanges.filter((request) => request.url.pathname === '/v1/auth');

  it('made every Djomy call once, plus one cached token for the business calls', () => {
    expect(
      recorder.exchanges.map((r) => `${r.method} ${r.url.pathname.replace(/[0-9a-f-]{36}|LNK-\w+/, ':id')}`),
    ).toEqual([
      'POST /v1/auth',
      'POST /v1/auth',
      'POST /v1/payments',
      'POST /v1/payments/:id/confirmOTP',
      'GET /v1/payments/:id/status',
      'POST /v1/payments/gateway',
      'GET /v1/payments',
      'POST /v1/links',
      'GET /v1/links/:id',
      'GET /v1/links',
    ]);
  });

  it('sends X-API-KEY = clientId:hex HMAC-SHA256(secret, clientId) on every call', () => {
    expect(apiKey).toMatch(new RegExp(`^${TEST_CREDENTIALS.clientId}:[0-9a-f]{64}$`));
    for (const request of recorder.exchanges) expect(request.headers.get('x-api-key')).toBe(apiKey);
  });

  it('authenticates with POST /v1/auth, body {}, JSON content type and no Authorization', () => {
    for (const request of auths()) {
      expect(request.method).toBe('POST');
      expect(request.text).toBe('{}');
      expect(request.headers.get('content-type')).toBe('application/json');
      expect(request.headers.has('authorization')).toBe(false);
    }
  });

  it('sends the Bearer on every business call, with a token /v1/auth issued', () => {
    for (const request of business()) {
      expect(request.headers.get('authorization')).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
    }
    const bearers = new Set(business().map((request) => request.headers.get('authorization')));
    expect(bearers.size).toBe(1);
    expect(bearers.has(`Bearer ${accessToken}`)).toBe(false); // the cache got its own token
  });

  it('sends X-PARTNER-DOMAIN only when configured (here: never), and never X-PARTNER-API, X-PARTNER-DOMAINE or X-Test-Mode', () => {
    for (const request of recorder.exchanges) {
      expect(request.headers.has('x-partner-domain')).toBe(false);
      for (const name of FORBIDDEN_HEADERS) expect(request.headers.has(name)).toBe(false);
    }
  });

  it('sends a JSON content type with each POST body, and neither body nor content type on GETs', () => {
    for (const request of recorder.exchanges) {
      if (request.method === 'POST') {
        expect(request.headers.get('content-type')).toBe('application/json');
        expect(request.body).toBeTypeOf('object');
      } else {
        expect(request.text).toBeUndefined();
        expect(request.headers.has('content-type')).toBe(false);
      }
    }
  });
});

describe('with a partner domain', () => {
  beforeEach(async () => {
    await sim.reset();
    await sim.config({ webhookUrl: null, partnerDomain: 'shop.example' });
  });

  it('sends X-PARTNER-DOMAIN on every call, /v1/auth included, and passes the production-like edge', async () => {
    const recorder = recordingFetch();
    const djomy = newClient({ fetch: recorder.fetch, partnerDomain: 'shop.example' });
    const { transactionId } = await djomy.createGatewayPayment(completeGatewayPayment());
    expect((await djomy.getPaymentStatus(transactionId)).status).toBe('CREATED');
    await djomy.listLinks();

    expect(recorder.exchanges.map((r) => r.url.pathname)).toEqual([
      '/v1/auth',
      '/v1/payments/gateway',
      `/v1/payments/${transactionId}/status`,
      '/v1/links',
    ]);
    for (const request of recorder.exchanges) {
      expect(request.headers.get('x-partner-domain')).toBe('shop.example');
      for (const name of FORBIDDEN_HEADERS) expect(request.headers.has(name)).toBe(false);
    }
  });
});

describe('bodies against the afro.tools input schemas', () => {
  beforeEach(async () => {
    await sim.reset();
    await sim.config({ webhookUrl: null });
  });

  it('the schema check is not vacuous: the fixtures refuse what they should', () => {
    expect(inputSchemaErrors(createPaymentSchema, { paymentMethod: 'CARD', amount: '1000' })).not.toEqual([]);
    expect(inputSchemaErrors(createGatewaySchema, { amount: 1000, countryCode: 'GN' })).not.toEqual([]);
    expect(inputSchemaErrors(confirmOtpSchema, { oneTimePin: '1234' })).not.toEqual([]);
    expect(inputSchemaErrors(confirmOtpSchema, { transactionReference: 't', oneTimePin: '12' })).not.toEqual(
      [],
    );
    expect(inputSchemaErrors(createLinkSchema, { countryCode: 'gn' })).not.toEqual([]);
    expect(inputSchemaErrors(createLinkSchema, { countryCode: 'GN', usageLimit: 1.5 })).not.toEqual([]);
  });

  it.each([
    ['OM', PHONES.GN],
    ['MOMO', PHONES.GN],
    ['KULU', PHONES.GN],
    ['PAYCARD', '123456789'],
    ['SOUTRA_MONEY', PHONES.GN],
    ['YMO', PHONES.GN],
  ] as const)('a %s direct payment validates against create_payment', async (method, payer) => {
    const recorder = recordingFetch();
    const request = completeDirectPayment({ paymentMethod: method, payerIdentifier: payer });
    await newClient({ fetch: recorder.fetch }).createDirectPayment(request);
    const sent = recorder.exchanges.find((r) => r.url.pathname === '/v1/payments') as Exchange;
    expect(sent.method).toBe('POST');
    expect(inputSchemaErrors(createPaymentSchema, sent.body)).toEqual([]);
    expect(sent.body).toEqual(request);
  });

  it('a minimal direct payment still validates, and carries what this project adds to the schema', async () => {
    const recorder = recordingFetch();
    await newClient({ fetch: recorder.fetch }).createDirectPayment({
      paymentMethod: 'MOMO',
      payerIdentifier: PHONES.GN,
      amount: 1000,
      countryCode: 'GN',
      merchantPaymentReference: 'pay_min',
    });
    const { body } = recorder.exchanges.find((r) => r.url.pathname === '/v1/payments') as Exchange;
    expect(inputSchemaErrors(createPaymentSchema, body)).toEqual([]);
    // Stricter than the schema (docs/djomy.md#request-rules): merchantPaymentReference is optional there, always sent here;
    // countryCode may be 2–3 characters there, is two uppercase letters here; no `currency` field.
    expect(body).toEqual({
      paymentMethod: 'MOMO',
      payerIdentifier: PHONES.GN,
      amount: 1000,
      countryCode: 'GN',
      merchantPaymentReference: 'pay_min',
    });
  });

  it('a gateway payment validates against create_payment_gateway, always with payerNumber', async () => {
    const recorder = recordingFetch();
    const request = completeGatewayPayment();
    await newClient({ fetch: recorder.fetch }).createGatewayPayment(request);
    const sent = recorder.exchanges.find((r) => r.url.pathname === '/v1/payments/gateway') as Exchange;
    expect(sent.method).toBe('POST');
    expect(inputSchemaErrors(createGatewaySchema, sent.body)).toEqual([]);
    expect(sent.body).toEqual(request);
  });

  it('confirmOTP posts {oneTimePin} to /confirmOTP; it validates against confirm_otp once the path parameter is added', async () => {
    const recorder = recordingFetch();
    const djomy = newClient({ fetch: recorder.fetch });
    const { transactionId } = await djomy.createDirectPayment(completeDirectPayment());
    const { otp } = await sim.payment(transactionId);
    await djomy.confirmOtp(transactionId, otp as string);

    const sent = recorder.exchanges.at(-1) as Exchange;
    expect(sent.method).toBe('POST');
    expect(sent.url.pathname).toBe(`/v1/payments/${transactionId}/confirmOTP`);
    // The schema lists `transactionReference` among its properties, but it is the path parameter:
    // the body is exactly {oneTimePin}, never another field name (docs/djomy.md#confirmotp).
    expect(sent.body).toEqual({ oneTimePin: otp });
    const transactionReference = sent.url.pathname.split('/')[3];
    expect(transactionReference).toBe(transactionId);
    expect(inputSchemaErrors(confirmOtpSchema, { transactionReference, ...(sent.body as object) })).toEqual(
      [],
    );
  });

  it.each([
    ['with spaces', '12 34'],
    ['too short', '123'],
    ['too long', '1234567'],
    ['with letters', '12a4'],
  ])('refuses an OTP %s before calling Djomy (the HTTP route strips spaces first)', async (_name, pin) => {
    const recorder = recordingFetch();
    const djomy = newClient({ fetch: recorder.fetch });
    const { transactionId } = await djomy.createDirectPayment(completeDirectPayment());
    const before = recorder.exchanges.length;
    const error = await rejection(djomy.confirmOtp(transactionId, pin));
    expect(error).toMatchObject({ kind: 'refused', operation: 'confirmOtp', status: undefined });
    expect(error.fieldErrors).toEqual([expect.stringMatching(/^oneTimePin: /)]);
    expect(recorder.exchanges.length).toBe(before);
    expect((await sim.counters()).confirmOtp).toBe(0);
  });

  const fullLink: CreateLinkRequest = {
    countryCode: 'GN',
    amountToPay: 75_000,
    linkName: 'Facture 17',
    description: 'Réparation',
    phoneNumber: PHONES.GN,
    sendSms: true,
    usageType: 'UNIQUE',
    expiresAt: '2099-01-01T00:00:00Z',
    merchantReference: 'INV-17',
    returnUrl: 'https://edge.example/thanks',
    cancelUrl: 'https://edge.example/cancel',
    allowedPaymentMethods: ['OM', 'MOMO'],
    metadata: { invoice: 17 },
    skipDjomyStatusPage: true,
  };

  it.each([
    ['a UNIQUE link with every field', fullLink],
    ['a minimal UNIQUE link', { countryCode: 'GN', usageType: 'UNIQUE' } as CreateLinkRequest],
    [
      'a MULTIPLE link (always with usageLimit)',
      { countryCode: 'LR', usageType: 'MULTIPLE', usageLimit: 100_000 } as CreateLinkRequest,
    ],
  ])('%s validates against create_payment_link', async (_name, request) => {
    const recorder = recordingFetch();
    await newClient({ fetch: recorder.fetch }).createLink(request);
    const sent = recorder.exchanges.find((r) => r.url.pathname === '/v1/links') as Exchange;
    expect(sent.method).toBe('POST');
    expect(inputSchemaErrors(createLinkSchema, sent.body)).toEqual([]);
    expect(sent.body).toEqual(request);
    // `skipDjomyStatusPage` is not in the schema's properties (it allows extra ones); other integrations send it.
  });

  it('a MULTIPLE link without usageLimit would pass the schema, but the client refuses it before sending', async () => {
    const request = { countryCode: 'GN', usageType: 'MULTIPLE' } as const;
    expect(inputSchemaErrors(createLinkSchema, request)).toEqual([]);
    const recorder = recordingFetch();
    const error = await rejection(newClient({ fetch: recorder.fetch }).createLink(request));
    expect(error.kind).toBe('refused');
    expect(recorder.exchanges.filter((r) => r.url.pathname === '/v1/links')).toEqual([]);
  });

  it.each([
    ['CARD on a direct payment', () => completeDirectPayment({ paymentMethod: 'CARD' as 'OM' })],
    ['a lowercase country code', () => completeDirectPayment({ countryCode: 'gn' })],
    ['a GNF amount with decimals', () => completeDirectPayment({ amount: 1000.5 })],
    ['nested metadata', () => completeDirectPayment({ metadata: { order: { id: 1 } } as never })],
    ['a description over 255 characters', () => completeDirectPayment({ description: 'x'.repeat(256) })],
    [
      'a field the client never sends (currency)',
      () => ({ ...completeDirectPayment(), currency: 'GNF' }) as DirectPaymentRequest,
    ],
  ])('refuses %s before sending', async (_name, request) => {
    const recorder = recordingFetch();
    const error = await rejection(newClient({ fetch: recorder.fetch }).createDirectPayment(request()));
    expect(error).toMatchObject({
      kind: 'refused',
      operation: 'createDirectPayment',
      detail: 'invalid request',
    });
    expect(recorder.exchanges).toEqual([]);
  });
});
