/**
 * The retry policy (docs/money-safety.md), observed through the simulator's
 * counters: GETs and `/v1/auth` retry every transient fault; creates,
 * confirmOTP and links are sent again only after a 429 with a short
 * Retry-After — never after a 5xx (503 included), a timeout, a reset or a
 * failed connection, so the payer never gets a second prompt.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { DjomyClient } from '../../src/djomy/client.ts';
import { directPayment, newClient, rejection } from '../support/djomy-client.ts';
import { type Counters, type FaultSpecInput, sim } from '../support/sim.ts';

/** The client's timeout: a `timeout` fault hangs 1.5 s, well past it. */
const TIMEOUT_MS = 300;

type FaultKind = NonNullable<FaultSpecInput['rules']>[number]['kind'];

/** `times` faults of `kind` on `endpoint`; a timeout hangs 1.5 s, well past the client's `TIMEOUT_MS`. */
function faults(endpoint: keyof Omit<Counters, 'total'>, kind: FaultKind, times?: number) {
  return sim.faults({ hangMs: 1500, rules: [{ endpoint, kind, rate: 1, ...(times && { times }) }] });
}

const TRANSIENT: FaultKind[] = ['500', '502', '503', '429', 'html500', 'truncated', 'timeout'];

let djomy: DjomyClient;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  djomy = newClient({ timeoutMs: TIMEOUT_MS });
});

/** A payment and a token, then counters at zero. */
async function ready(): Promise<string> {
  const { transactionId } = await djomy.createDirectPayment(directPayment({ paymentMethod: 'MOMO' }));
  await sim.resetCounters();
  return transactionId;
}

describe('GET calls retry every transient fault', () => {
  it.each(TRANSIENT)(
    'getPaymentStatus: two %s faults, then the answer — three calls, one result',
    async (kind) => {
      const transactionId = await ready();
      await faults('status', kind, 2);
      expect(await djomy.getPaymentStatus(transactionId)).toMatchObject({ transactionId, status: 'PENDING' });
      expect((await sim.counters()).status).toBe(3);
    },
  );

  it.each([
    ['listPayments', (client: DjomyClient) => client.listPayments()],
    [
      'getLink',
      async (client: DjomyClient) => client.getLink((await client.listLinks()).items[0]?.reference ?? ''),
    ],
    ['listLinks', (client: DjomyClient) => client.listLinks()],
  ] as const)('%s: two 503s, then the answer', async (endpoint, call) => {
    await djomy.createLink({ countryCode: 'GN', usageType: 'UNIQUE' });
    await ready();
    await faults(endpoint, '503', 2);
    await call(djomy);
    expect((await sim.counters())[endpoint]).toBe(3);
  });

  it('tries as many times as `attempts` says', async () => {
    const transactionId = await ready();
    await faults('status', '500');
    const error = await rejection(
      newClient({ timeoutMs: TIMEOUT_MS, attempts: 5 }).getPaymentStatus(transactionId),
    );
    expect(error.kind).toBe('server');
    // A fresh client: one /v1/auth, then five tries.
    expect(await sim.counters()).toMatchObject({ auth: 1, status: 5 });
  });

  it('does not retry a refusal or a 404', async () => {
    await ready();
    await rejection(djomy.getPaymentStatus(crypto.randomUUID()));
    await rejection(djomy.getLink('LNK-NONE'));
    expect(await sim.counters()).toMatchObject({ status: 1, getLink: 1 });
  });
});

describe('/v1/auth retries every transient fault', () => {
  it.each(TRANSIENT)('two %s faults, then a token — three calls', async (kind) => {
    await faults('auth', kind, 2);
    expect((await djomy.authenticate()).accessToken).not.toBe('');
    expect((await sim.counters()).auth).toBe(3);
  });

  it('a business call on a cold cache waits for the retried /v1/auth', async () => {
    await faults('auth', '502', 2);
    expect(await djomy.listLinks()).toEqual({ items: [], last: true });
    expect(await sim.counters()).toMatchObject({ auth: 3, listLinks: 1 });
  });
});

describe('creates, confirmOTP and links are sent again only after a short 429', () => {
  type Unsafe = 'createPayment' | 'createGateway' | 'createLink' | 'confirmOtp';
  const calls: [Unsafe, (transactionId: string) => Promise<unknown>][] = [
    ['createPayment', () => djomy.createDirectPayment(directPayment())],
    [
      'createGateway',
      () =>
        djomy.createGatewayPayment({
          amount: 1000,
          countryCode: 'GN',
          payerNumber: '00224620123456',
          merchantPaymentReference: `pay_${crypto.randomUUID()}`,
        }),
    ],
    ['createLink', () => djomy.createLink({ countryCode: 'GN', usageType: 'UNIQUE', amountToPay: 1000 })],
    [
      'confirmOtp',
      async (transactionId) =>
        djomy.confirmOtp(transactionId, (await sim.payment(transactionId)).otp as string),
    ],
  ];
  /** A fresh OTP-mode payment for confirmOTP, created before the counters are reset. */
  const otpPayment = async () => {
    const { transactionId } = await djomy.createDirectPayment(directPayment());
    await sim.resetCounters();
    return transactionId;
  };

  describe.each(calls)('%s', (endpoint, call) => {
    it.each([
      ['500', 'server'],
      ['502', 'server'],
      ['503', 'server'],
      ['html500', 'server'],
      ['truncated', 'bad_response'],
      ['reset', 'bad_response'],
      ['timeout', 'timeout'],
    ] as const)('is tried once on a %s fault, and its outcome is unknown', async (kind, errorKind) => {
      const transactionId = await otpPayment();
      await faults(endpoint, kind, 1);
      const error = await rejection(call(transactionId));
      expect(error).toMatchObject({ kind: errorKind, outcomeUnknown: true });
      expect((await sim.counters())[endpoint]).toBe(1);
    });

    it('is tried again after a 429 with Retry-After: 1, and answers once', async () => {
      const transactionId = await otpPayment();
      await faults(endpoint, '429', 1);
      await call(transactionId);
      expect((await sim.counters())[endpoint]).toBe(2);
    });

    it('gives up after three 429s; Djomy refused to look, so the outcome is known', async () => {
      const transactionId = await otpPayment();
      await faults(endpoint, '429');
      const error = await rejection(call(transactionId));
      expect(error).toMatchObject({ kind: 'rate_limited', status: 429, outcomeUnknown: false });
      expect((await sim.counters())[endpoint]).toBe(3);
    });
  });

  it('a 429 then success creates exactly one payment at Djomy', async () => {
    await ready();
    await faults('createPayment', '429', 1);
    const request = directPayment();
    const created = await djomy.createDirectPayment(request);
    const atDjomy = (await sim.payments()).filter(
      (p) => p.merchantPaymentReference === request.merchantPaymentReference,
    );
    expect(atDjomy.map((p) => p.transactionId)).toEqual([created.transactionId]);
  });

  it('a 500 on create is not repeated: Djomy holds no payment and the caller is told the outcome is unknown', async () => {
    await ready();
    await faults('createPayment', '500');
    const request = directPayment();
    const error = await rejection(djomy.createDirectPayment(request));
    expect(error).toMatchObject({ kind: 'server', status: 500, outcomeUnknown: true });
    expect((await sim.counters()).createPayment).toBe(1);
    expect(
      (await sim.payments()).some((p) => p.merchantPaymentReference === request.merchantPaymentReference),
    ).toBe(false);
  });

  it('a timed-out create is not repeated although Djomy did create it: outcomeUnknown', async () => {
    await ready();
    await faults('createPayment', 'timeout', 1);
    const request = directPayment();
    const error = await rejection(djomy.createDirectPayment(request));
    expect(error).toMatchObject({ kind: 'timeout', outcomeUnknown: true });
    expect((await sim.counters()).createPayment).toBe(1);
    const atDjomy = (await sim.payments()).filter(
      (p) => p.merchantPaymentReference === request.merchantPaymentReference,
    );
    expect(atDjomy).toHaveLength(1);
    // What the caller does next (docs/money-safety.md): look the payment up instead of creating it again.
    const listed = await djomy.listPayments({ statuses: ['PENDING'] });
    expect(listed.items.map((p) => p.merchantPaymentReference)).toContain(request.merchantPaymentReference);
  });

  it('a create whose answer is lost while its body is read is sent once: its outcome is unknown', async () => {
    await ready();
    await faults('createPayment', 'reset', 1);
    const request = directPayment();
    const error = await rejection(djomy.createDirectPayment(request));
    expect(error).toMatchObject({ outcomeUnknown: true });
    expect((await sim.counters()).createPayment).toBe(1);
    expect((await sim.references())[request.merchantPaymentReference]?.count).toBe(1);
  });
});
