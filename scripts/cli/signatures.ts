/**
 * `sign`, `verify` and `verify-merchant`: the two signatures of this project,
 * computed by the very helpers the Worker and the simulator use.
 */
import { signWebhookBody, verifyWebhookSignature } from '../../src/djomy/signature.ts';
import { verifyStandardWebhook } from '../../src/notify/standard-webhooks.ts';
import { BODY_HELP, BODY_OPTIONS, readBody } from './body.ts';
import { type Command, required, secretFrom, UsageError } from './command.ts';

export const sign: Command = {
  name: 'sign',
  summary: 'print the X-Webhook-Signature Djomy would send for a body',
  help: `Usage: npm run djomy -- sign [--secret <clientSecret>] (--file <path> | --body <text>)

Prints v1:<hex>: HMAC-SHA256 of the exact body bytes, keyed with the Djomy
client secret, as Djomy's X-Webhook-Signature header carries it.

Options:
  --secret <s>        default: DJOMY_CLIENT_SECRET from .dev.vars
${BODY_HELP}

Example:
  npm run djomy -- sign --body '{"eventType":"payment.success"}'`,
  options: { secret: { type: 'string' }, ...BODY_OPTIONS },
  async run(values) {
    const secret = secretFrom(values, 'DJOMY_CLIENT_SECRET');
    console.log(await signWebhookBody(secret, await readBody(values)));
    return 0;
  },
};

export const verify: Command = {
  name: 'verify',
  summary: 'check a Djomy X-Webhook-Signature against a body',
  help: `Usage: npm run djomy -- verify --signature <v1:hex> [--secret <clientSecret>] (--file <path> | --body <text>)

Checks the signature exactly as the Worker's /webhooks/djomy does (v1:<hex>
or bare <hex>, constant-time). Prints "valid" or "invalid"; the exit code
is 1 when invalid.

Options:
  --signature <sig>   the X-Webhook-Signature value (required)
  --secret <s>        default: DJOMY_CLIENT_SECRET from .dev.vars
${BODY_HELP}`,
  options: { signature: { type: 'string' }, secret: { type: 'string' }, ...BODY_OPTIONS },
  async run(values) {
    const signature = required(values, 'signature');
    const secret = secretFrom(values, 'DJOMY_CLIENT_SECRET');
    const valid = await verifyWebhookSignature(secret, await readBody(values), signature);
    console.log(valid ? 'valid' : 'invalid');
    return valid ? 0 : 1;
  },
};

export const verifyMerchant: Command = {
  name: 'verify-merchant',
  summary: 'check a Standard Webhooks merchant notification from djomy-edge',
  help: `Usage: npm run djomy -- verify-merchant --id <webhook-id> --timestamp <seconds>
         --signature "v1,<base64>" [--secret whsec_…] (--file <path> | --body <text>)

Checks a delivery of djomy-edge's merchant notifications (Standard Webhooks) the way a
merchant's server should: HMAC-SHA256 of "id.timestamp.body" keyed with the
decoded whsec_ secret, and a timestamp within the tolerance (replay
protection). Prints "valid" or "invalid: <reason>"; exit code 1 when invalid.

Options:
  --id <id>           the webhook-id header (required)
  --timestamp <s>     the webhook-timestamp header, Unix seconds (required)
  --signature <sig>   the webhook-signature header, e.g. "v1,K5o…=" (required)
  --secret <whsec_…>  default: MERCHANT_WEBHOOK_SECRET from .dev.vars
  --tolerance <s>     accepted clock difference in seconds (default 300)
  --any-time          ignore the timestamp (to check an old delivery)
${BODY_HELP}`,
  options: {
    id: { type: 'string' },
    timestamp: { type: 'string' },
    signature: { type: 'string' },
    secret: { type: 'string' },
    tolerance: { type: 'string' },
    'any-time': { type: 'boolean' },
    ...BODY_OPTIONS,
  },
  async run(values) {
    const headers = new Headers({
      'webhook-id': required(values, 'id'),
      'webhook-timestamp': required(values, 'timestamp'),
      'webhook-signature': required(values, 'signature'),
    });
    const secret = secretFrom(values, 'MERCHANT_WEBHOOK_SECRET');
    const toleranceSeconds = values['any-time'] ? Number.POSITIVE_INFINITY : Number(values.tolerance ?? 300);
    // NaN would make every timestamp acceptable.
    if (!(toleranceSeconds >= 0)) throw new UsageError('--tolerance must be a number of seconds');
    const body = new TextDecoder().decode(await readBody(values));
    const result = await verifyStandardWebhook(secret, headers, body, { toleranceSeconds });
    console.log(result.ok ? 'valid' : `invalid: ${result.reason}`);
    return result.ok ? 0 : 1;
  },
};
