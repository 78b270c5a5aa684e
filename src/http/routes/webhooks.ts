/**
 * `POST /webhooks/djomy`: the signature over the raw bytes is checked before
 * anything else; a valid event is ingested (src/payments/ingest-webhook.ts:
 * recorded once by `eventId`, turned into a verify job) and Djomy gets its
 * 200 at once. The body never changes a payment by itself. The only 5xx is
 * "could not store or enqueue", so that Djomy retries.
 */
import { Hono } from 'hono/tiny';
import * as z from 'zod/mini';
import { WebhookEnvelope } from '../../djomy/schemas.ts';
import { verifyWebhookSignature } from '../../djomy/signature.ts';
import { ingestWebhook } from '../../payments/ingest-webhook.ts';
import { issuesToErrors, readBodyLimited } from '../body.ts';
import type { AppContext, AppEnv } from '../context.ts';
import { Problem, problems } from '../problem.ts';
import type { RouteSpec } from '../spec.ts';

const WEBHOOK_BODY_LIMIT = 64 * 1024;

async function receiveWebhookRoute(c: AppContext) {
  const { deps, log } = c.var;
  const secret = deps.config.djomy?.clientSecret;
  if (!secret) throw problems.misconfigured(['DJOMY_CLIENT_SECRET']);
  const raw = await readBodyLimited(c.req.raw, WEBHOOK_BODY_LIMIT);
  if (!(await verifyWebhookSignature(secret, raw, c.req.header('x-webhook-signature') ?? null))) {
    log.warn('webhook refused: missing or wrong signature', { bytes: raw.byteLength });
    throw new Problem({ status: 401, slug: 'bad-signature', title: 'Invalid webhook signature' });
  }
  let json: unknown;
  let body: string;
  try {
    body = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
    json = JSON.parse(body);
  } catch {
    throw problems.validation([{ path: '(body)', message: 'not valid UTF-8 JSON' }]);
  }
  const parsed = WebhookEnvelope.safeParse(json);
  if (!parsed.success) throw problems.validation(issuesToErrors(parsed.error.issues), 'Not a Djomy event.');
  const outcome = await ingestWebhook(deps, parsed.data, body);
  switch (outcome.kind) {
    case 'recorded':
      return c.json({ received: true });
    case 'duplicate':
      return c.json({ received: true, duplicate: true });
    case 'retry':
      throw new Problem({
        status: 503,
        slug: 'not-stored',
        title: 'Event not stored',
        detail: 'Retry later.',
        headers: { 'Retry-After': '5' },
      });
  }
}

export const webhooks = new Hono<AppEnv>()
  .get('/', (c) => c.json({ status: 'ok' }))
  .post('/', receiveWebhookRoute);

export const webhookSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/webhooks/djomy',
    tag: 'Webhooks',
    summary: 'Health check for the Djomy dashboard',
    responses: { 200: { description: 'OK', schema: z.object({ status: z.literal('ok') }) } },
  },
  {
    method: 'post',
    path: '/webhooks/djomy',
    tag: 'Webhooks',
    summary: 'Djomy payment events (V1 or V2), signed X-Webhook-Signature: v1:<hex>',
    headers: z.object({ 'X-Webhook-Signature': z.string() }),
    body: {
      schema: z.looseObject({ eventType: z.string(), eventId: z.string(), data: z.optional(z.unknown()) }),
    },
    responses: {
      200: {
        description: 'Recorded (or a duplicate)',
        schema: z.object({ received: z.boolean(), duplicate: z.optional(z.boolean()) }),
      },
      400: { description: 'Signed but not a Djomy event' },
      401: { description: 'Missing or wrong signature; nothing stored' },
      413: { description: 'Body over 64 KiB' },
      503: { description: 'Could not store or enqueue; retry' },
    },
  },
];
