/**
 * Every way a Djomy call can fail, as the typed `DjomyError` the client
 * throws (docs/djomy.md#envelope-and-errors), produced by the running simulator:
 * its validation, its 404s and 401s, its production-like edge, and its
 * injected faults. Counters show how many calls reached the simulator.
 */
import { env } from 'cloudflare:workers';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DjomyClient } from '../../src/djomy/client.ts';
import { TokenCache } from '../../src/djomy/token-cache.ts';
import { directPayment, freshKey, newClient, recordingFetch, rejection } from '../support/djomy-client.ts';
import { SIM_ORIGIN, sim } from '../support/sim.ts';

let djomy: DjomyClient;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  djomy = newClient();
});

/** A payment to read, created before the counters are reset. */
async function existingPayment(): Promise<string> {
  const { transactionId } = await djomy.createDirectPayment(directPayment());
  await sim.resetCounters();
  return transactionId;
}

describe('refused: Djomy said no (400, or a 2xx with success:false); never retried', () => {
  it("a wrong OTP is refused with Djomy's text and field, and the payment stays PENDING", async () => {
    const { transactionId } = await djomy.createDirectPayment(directPayment());
    const { otp } = await sim.payment(transactionId);
    const wrong = otp === '0000' ? '1111' : '0000';

    const error = await rejection(djomy.confirmOtp(transactionId, wrong));
    expect(error).toMatchObject({
      name: 'DjomyError',
      kind: 'refused',
      operation: 'confirmOtp',
      status: 400,
      detail: 'Code OTP incorrect.',
      fieldErrors: ['oneTimePin'],
      transient: false,
      configuration: false,
      outcomeUnknown: false,
    });
    expect((await sim.counters()).confirmOtp).toBe(1);
    expect((await sim.payment(transactionId)).status).toBe('PENDING');
  });

  it('a payer number the client allows but Djomy refuses comes back with Djomy’s text and the field at fault', async () => {
    const error = await rejection(
      djomy.createGatewayPayment({
        amount: 1000,
        countryCode: 'GN',
        payerNumber: '0033612345678', // a French number: the right shape, not a Djomy country
        merchantPaymentReference: 'pay_fr',
      }),
    );
    expect(error).toMatchObject({
      kind: 'refused',
      operation: 'createGatewayPayment',
      status: 400,
      detail: 'Numéro invalide : format 00224XXXXXXXXX (ou 00232…, 00231…).',
      fieldErrors: ['payerNumber'],
    });
    expect((await sim.counters()).createGateway).toBe(1);
    expect(await sim.payments()).toEqual([]);
  });

  it('an empty payer number is refused by the client itself, before Djomy could say "Le numéro de téléphone du payeur est obligatoire."', async () => {
    // The client checks its own requests first (schemas.ts), so Djomy's exact 400 for this case
    // (covered against the simulator in test/sim/payments-gateway.test.ts) is never reached.
    const error = await rejection(
      djomy.createGatewayPayment({
        amount: 1000,
        countryCode: 'GN',
        payerNumber: '',
        merchantPaymentReference: 'pay_x',
      }),
    );
    expect(error).toMatchObject({ kind: 'refused', status: undefined, detail: 'invalid request' });
    expect(error.fieldErrors).toEqual([expect.stringMatching(/^payerNumber: /)]);
    expect((await sim.counters()).total).toBe(0);
  });

  it('confirmOTP on a push-mode payment is refused', async () => {
    const { transactionId } = await djomy.createDirectPayment(
      directPayment({ paymentMethod: 'SOUTRA_MONEY' }),
    );
    const error = await rejection(djomy.confirmOtp(transactionId, '1234'));
    expect(error).toMatchObject({
      kind: 'refused',
      status: 400,
      detail: 'Ce paiement ne se confirme pas par OTP.',
    });
  });

  it('confirmOTP on a payment that is no longer pending is refused', async () => {
    const { transactionId } = await djomy.createDirectPayment(directPayment());
    const { otp } = await sim.complete(transactionId, 'FAILED');
    const error = await rejection(djomy.confirmOtp(transactionId, otp as string));
    expect(error).toMatchObject({
      kind: 'refused',
      status: 400,
      detail: "Ce paiement n'est plus en attente.",
    });
  });

  it('a link expiry in the past is refused with the field at fault', async () => {
    const error = await rejection(
      djomy.createLink({ countryCode: 'GN', usageType: 'UNIQUE', expiresAt: '2020-01-01T00:00:00Z' }),
    );
    expect(error).toMatchObject({ kind: 'refused', status: 400, fieldErrors: ['expiresAt'] });
    expect(error.detail).toContain('expiresAt');
  });

  it('a 200 whose envelope says success:false (fault successFalse) is refused with its text, not retried', async () => {
    const transactionId = await existingPayment();
    await sim.faults({ rules: [{ endpoint: 'status', kind: 'successFalse', rate: 1 }] });
    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({
      kind: 'refused',
      status: 200,
      detail: 'Erreur inattendue',
      transient: false,
    });
    expect((await sim.counters()).status).toBe(1);
  });
});

describe('not_found: unknown transaction or link (404); never retried', () => {
  it('an unknown transaction', async () => {
    const error = await rejection(djomy.getPaymentStatus(crypto.randomUUID()));
    expect(error).toMatchObject({
      kind: 'not_found',
      operation: 'getPaymentStatus',
      status: 404,
      detail: 'Transaction introuvable',
      transient: false,
    });
    expect((await sim.counters()).status).toBe(1);
  });

  it('confirmOTP on an unknown transaction', async () => {
    const error = await rejection(djomy.confirmOtp(crypto.randomUUID(), '1234'));
    expect(error).toMatchObject({ kind: 'not_found', operation: 'confirmOtp', status: 404 });
  });

  it('an unknown link', async () => {
    const error = await rejection(djomy.getLink('LNK-UNKNOWN'));
    expect(error).toMatchObject({
      kind: 'not_found',
      operation: 'getLink',
      status: 404,
      detail: 'Lien de paiement introuvable',
    });
    expect((await sim.counters()).getLink).toBe(1);
  });

  it('a reference with path characters stays one URL-encoded segment', async () => {
    const recorder = recordingFetch();
    const error = await rejection(newClient({ fetch: recorder.fetch }).getLink('../payments/x y'));
    expect(error.kind).toBe('not_found');
    expect(recorder.urls.at(-1)).toBe(`${SIM_ORIGIN}/v1/links/..%2Fpayments%2Fx%20y`);
  });
});

describe('unauthorized: Djomy refused the credentials (401 on /v1/auth)', () => {
  it.each([
    ['a wrong client secret', { clientSecret: 'not-the-secret' }],
    ['an unknown client id', { clientId: 'djomy-client-0000000000000-dead' }],
  ])('%s: a configuration error, one /v1/auth per call, never a loop', async (_name, credentials) => {
    const transactionId = await existingPayment();
    const wrong = newClient(credentials);

    const auth = await rejection(wrong.authenticate());
    expect(auth).toMatchObject({
      kind: 'unauthorized',
      operation: 'authenticate',
      status: 401,
      detail: 'Identifiants invalides',
      transient: false,
      configuration: true,
    });
    expect((await sim.counters()).auth).toBe(1);

    const call = await rejection(wrong.getPaymentStatus(transactionId));
    expect(call).toMatchObject({ kind: 'unauthorized', operation: 'authenticate', status: 401 });
    const counters = await sim.counters();
    expect(counters.auth).toBe(2);
    expect(counters.status).toBe(0);
  });
});

describe("edge_refused: Djomy's edge answered 403 HTML (partner domain or IP); never retried", () => {
  beforeEach(() => sim.config({ partnerDomain: 'shop.example' }));

  it.each([
    ['without X-PARTNER-DOMAIN', null],
    ['with the wrong X-PARTNER-DOMAIN', 'other.example'],
  ])('refuses a client %s at /v1/auth, in one call', async (_name, partnerDomain) => {
    const error = await rejection(newClient({ partnerDomain }).listLinks());
    expect(error).toMatchObject({
      kind: 'edge_refused',
      operation: 'authenticate',
      status: 403,
      detail: undefined,
      transient: false,
      configuration: true,
    });
    expect((await sim.counters()).auth).toBe(1);
  });

  it('refuses a business call in one call, without re-authenticating', async () => {
    await sim.config({ partnerDomain: null });
    const transactionId = await existingPayment(); // the client now holds a token
    await sim.config({ partnerDomain: 'shop.example' });

    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({ kind: 'edge_refused', operation: 'getPaymentStatus', status: 403 });
    const counters = await sim.counters();
    expect([counters.status, counters.auth]).toEqual([1, 0]);
  });

  it('reads an injected html403 fault the same way', async () => {
    await sim.config({ partnerDomain: null });
    const transactionId = await existingPayment();
    await sim.faults({ rules: [{ endpoint: 'status', kind: 'html403', rate: 1 }] });
    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({ kind: 'edge_refused', status: 403 });
    expect((await sim.counters()).status).toBe(1);
  });
});

describe('transient faults that outlast the retries (3 tries by default)', () => {
  it('rate_limited: a 429 on every try', async () => {
    const transactionId = await existingPayment();
    await sim.faults({ rules: [{ endpoint: 'status', kind: '429', rate: 1 }] });
    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({
      kind: 'rate_limited',
      status: 429,
      detail: 'Trop de requêtes',
      transient: true,
    });
    expect((await sim.counters()).status).toBe(3);
  });

  it.each([
    ['500', 500, 'Erreur interne du serveur'],
    ['502', 502, 'Erreur interne du serveur'],
    ['503', 503, 'Erreur interne du serveur'],
    ['html500', 500, undefined],
  ] as const)('server: a %s fault on every try', async (kind, status, detail) => {
    const transactionId = await existingPayment();
    await sim.faults({ rules: [{ endpoint: 'status', kind, rate: 1 }] });
    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({ kind: 'server', status, detail, transient: true });
    expect((await sim.counters()).status).toBe(3);
  });

  it('bad_response: a 200 whose JSON body is cut off (fault truncated) on every try', async () => {
    const transactionId = await existingPayment();
    await sim.faults({ rules: [{ endpoint: 'status', kind: 'truncated', rate: 1 }] });
    const error = await rejection(djomy.getPaymentStatus(transactionId));
    expect(error).toMatchObject({ kind: 'bad_response', status: 200, transient: true });
    expect((await sim.counters()).status).toBe(3);
  });

  it('timeout: Djomy hangs longer than timeoutMs on every try', async () => {
    const client = newClient({ timeoutMs: 300 });
    const { transactionId } = await client.createDirectPayment(directPayment());
    await sim.resetCounters();
    await sim.faults({ hangMs: 1500, rules: [{ endpoint: 'status', kind: 'timeout', rate: 1 }] });

    const started = Date.now();
    const error = await rejection(client.getPaymentStatus(transactionId));
    expect(error).toMatchObject({
      kind: 'timeout',
      operation: 'getPaymentStatus',
      status: undefined,
      transient: true,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    expect((await sim.counters()).status).toBe(3);
  });

  it('timeout on a create: one try only, and the outcome is unknown (the sim did create the payment)', async () => {
    const client = newClient({ timeoutMs: 300 });
    await client.listLinks(); // a token first, so only the create hangs
    await sim.faults({ hangMs: 1500, rules: [{ endpoint: 'createPayment', kind: 'timeout', rate: 1 }] });

    const request = directPayment();
    const error = await rejection(client.createDirectPayment(request));
    expect(error).toMatchObject({ kind: 'timeout', operation: 'createDirectPayment', outcomeUnknown: true });
    expect((await sim.counters()).createPayment).toBe(1);
    const created = await sim.payments();
    expect(created.map((p) => p.merchantPaymentReference)).toEqual([request.merchantPaymentReference]);
  });

  it('network: a fetch that throws is never sent again on a create (a reset looks the same), and its outcome is unknown', async () => {
    // The test harness sends every host to the simulator, so a refused connection cannot be
    // produced; a URL that fetch rejects before sending anything (port out of range) stands in.
    const tokens = new TokenCache(env.TOKENS, freshKey());
    await newClient({ tokens }).listLinks(); // a token in the shared cache
    const recorder = recordingFetch();
    const unreachable = newClient({ tokens, baseUrl: 'http://djomy.localhost:99999', fetch: recorder.fetch });

    const error = await rejection(unreachable.createDirectPayment(directPayment()));
    expect(error).toMatchObject({
      kind: 'network',
      operation: 'createDirectPayment',
      status: undefined,
      transient: true,
      outcomeUnknown: true,
    });
    expect(recorder.urls).toEqual(['http://djomy.localhost:99999/v1/payments']);
    // A read is retried.
    await rejection(unreachable.getPaymentStatus('t-1'));
    expect(recorder.urls.filter((url) => url.endsWith('/status'))).toHaveLength(3);
  });
});
