/**
 * `webhook`: sends the webhook Djomy would send for a payment event, V1 or V2
 * envelope (docs/djomy.md#webhooks), signed over its exact bytes. The envelope comes
 * from the simulator's own builder, so the CLI and the simulator cannot drift.
 * The Worker treats any webhook as a hint and re-reads the status from Djomy,
 * so the payment object carries only what a developer may want to vary.
 */
import { webhookBody } from '../../sim/src/webhook-message.ts';
import { signWebhookBody } from '../../src/djomy/signature.ts';
import { type Command, required, secretFrom, UsageError } from './command.ts';

/** `payment.<status in lowercase>`, as Djomy names them; none for CAPTURED. */
const EVENT_STATUSES = [
  'created',
  'redirected',
  'pending',
  'success',
  'failed',
  'cancelled',
  'timeout',
  'refunded',
];
const EVENTS = EVENT_STATUSES.map((status) => `payment.${status}`);
export const DEFAULT_WEBHOOK_URL = 'http://127.0.0.1:8787/webhooks/djomy';

function integer(values: Record<string, unknown>, name: string): number | undefined {
  const value = values[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !/^\d+$/.test(value))
    throw new UsageError(`--${name} must be a whole number`);
  return Number(value);
}

function indent(text: string): string {
  return text.replace(/^/gm, '  ');
}

export const webhook: Command = {
  name: 'webhook',
  summary: 'send a signed Djomy payment webhook (V1 or V2) to the Worker or any URL',
  help: `Usage: npm run djomy -- webhook --event <type> --tx <transactionId> [options]

Sends the webhook Djomy would send: the V1 or V2 envelope, with
X-Webhook-Signature: v1:<hex HMAC-SHA256 of the exact body, keyed with the
client secret>. Prints the request and the answer; the exit code is 1 unless
the answer is 2xx. The Worker only takes it as a hint: it then asks Djomy (the
simulator, locally) for the real status.

Options:
  --event <type>      ${EVENTS.join(', ')} (required)
  --tx <id>           the Djomy transactionId (required)
  --url <url>         default ${DEFAULT_WEBHOOK_URL}
  --v1 | --v2         envelope: V1 data = the payment, V2 data.payment (default, like the simulator)
  --secret <s>        default: DJOMY_CLIENT_SECRET from .dev.vars
  --amount <n>        paidAmount
  --reference <ref>   merchantPaymentReference (djomy-edge's payment id, pay_…)
  --method <m>        paymentMethod (default OM)
  --currency <label>  currency label (default GNF)
  --link <ref>        paymentLinkReference, for a payment made on a link
  --event-id <id>     eventId (default: a random UUID; reuse one to test deduplication)
  --dry-run           print the signed request, send nothing

Example (a payment completed at the simulator; its webhook never arrived):
  npm run djomy -- webhook --event payment.success --tx 0b6c…-…-… --reference pay_…`,
  options: {
    event: { type: 'string' },
    tx: { type: 'string' },
    url: { type: 'string' },
    v1: { type: 'boolean' },
    v2: { type: 'boolean' },
    secret: { type: 'string' },
    amount: { type: 'string' },
    reference: { type: 'string' },
    method: { type: 'string' },
    currency: { type: 'string' },
    link: { type: 'string' },
    'event-id': { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run(values) {
    const eventType = required(values, 'event');
    if (!EVENTS.includes(eventType)) throw new UsageError(`--event must be one of ${EVENTS.join(', ')}`);
    if (values.v1 && values.v2) throw new UsageError('choose --v1 or --v2');
    const transactionId = required(values, 'tx');
    const url = typeof values.url === 'string' ? values.url : DEFAULT_WEBHOOK_URL;
    if (!URL.canParse(url)) throw new UsageError(`--url is not a URL: ${url}`);
    const secret = secretFrom(values, 'DJOMY_CLIENT_SECRET');
    const amount = integer(values, 'amount');
    const status = eventType.slice('payment.'.length).toUpperCase();
    const at = new Date();

    // The status object (docs/djomy.md#payment-status), as Djomy puts it in `data` (V1) or `data.payment` (V2).
    const payment = {
      transactionId,
      status,
      ...(amount !== undefined && { paidAmount: amount }),
      paymentMethod: typeof values.method === 'string' ? values.method : 'OM',
      currency: typeof values.currency === 'string' ? values.currency : 'GNF',
      ...(typeof values.reference === 'string' && { merchantPaymentReference: values.reference }),
      ...(typeof values.link === 'string' && { paymentLinkReference: values.link }),
      createdAt: at.toISOString(),
    };
    const eventId = typeof values['event-id'] === 'string' ? values['event-id'] : crypto.randomUUID();
    const body = webhookBody(
      {
        eventType,
        payment,
        paymentLinkReference: typeof values.link === 'string' ? values.link : null,
        metadata: {},
        version: values.v1 ? 'v1' : 'v2',
        at,
      },
      eventId,
    );
    const headers = {
      'Content-Type': 'application/json',
      'X-Webhook-Signature': await signWebhookBody(secret, body),
    };

    console.log(`→ POST ${url}`);
    for (const [name, value] of Object.entries(headers)) console.log(`  ${name}: ${value}`);
    console.log(`\n${indent(body)}\n`);
    if (values['dry-run']) return 0;

    const started = performance.now();
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      console.error(`✘ could not reach ${url} (${cause}). Is the Worker running (npm run dev)?`);
      return 1;
    }
    const text = await response.text();
    console.log(
      `← ${response.status} ${response.statusText} (${Math.round(performance.now() - started)} ms)`,
    );
    const type = response.headers.get('content-type');
    if (type) console.log(`  Content-Type: ${type}`);
    if (text) console.log(`\n${indent(text)}`);
    return response.ok ? 0 : 1;
  },
};
