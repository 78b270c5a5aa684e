import { describe, expect, it } from 'vitest';
import { signStandardWebhook, verifyStandardWebhook } from '../../src/notify/standard-webhooks.ts';

// The example of the Standard Webhooks specification and its reference libraries.
const SPEC = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

function headersOf(signed: Record<string, string>): Headers {
  return new Headers(signed);
}

describe('Standard Webhooks signatures', () => {
  it('match the specification’s example', async () => {
    const signed = await signStandardWebhook(
      SPEC.secret,
      SPEC.id,
      SPEC.body,
      new Date(SPEC.timestamp * 1000),
    );
    expect(signed).toEqual({
      'webhook-id': SPEC.id,
      'webhook-timestamp': String(SPEC.timestamp),
      'webhook-signature': SPEC.signature,
    });
  });

  it('verify on the merchant side, within the tolerance', async () => {
    const now = new Date(SPEC.timestamp * 1000 + 60_000);
    const headers = headersOf({
      'webhook-id': SPEC.id,
      'webhook-timestamp': String(SPEC.timestamp),
      'webhook-signature': `v1,bogus= ${SPEC.signature}`,
    });
    expect(await verifyStandardWebhook(SPEC.secret, headers, SPEC.body, { now })).toEqual({
      ok: true,
      id: SPEC.id,
      timestamp: SPEC.timestamp,
    });
  });

  it.each([
    ['a tampered body', { body: '{"test": 2432232315}' }, 'bad_signature'],
    ['another id', { id: 'msg_other' }, 'bad_signature'],
    ['an old timestamp (replay)', { now: new Date((SPEC.timestamp + 301) * 1000) }, 'stale_timestamp'],
    ['a future timestamp', { now: new Date((SPEC.timestamp - 301) * 1000) }, 'stale_timestamp'],
    ['another secret', { secret: 'whsec_bm90LXRoZS1yaWdodC1zZWNyZXQtYXQtYWxs' }, 'bad_signature'],
    ['a malformed secret', { secret: 'not-a-secret' }, 'bad_secret'],
  ])('refuse %s', async (_name, change, reason) => {
    const options = {
      secret: SPEC.secret,
      body: SPEC.body,
      id: SPEC.id,
      now: new Date(SPEC.timestamp * 1000),
      ...change,
    };
    const headers = headersOf({
      'webhook-id': options.id,
      'webhook-timestamp': String(SPEC.timestamp),
      'webhook-signature': SPEC.signature,
    });
    expect(await verifyStandardWebhook(options.secret, headers, options.body, { now: options.now })).toEqual({
      ok: false,
      reason,
    });
  });

  it('refuse a delivery without its headers', async () => {
    expect(await verifyStandardWebhook(SPEC.secret, new Headers(), SPEC.body)).toEqual({
      ok: false,
      reason: 'missing_headers',
    });
  });
});
