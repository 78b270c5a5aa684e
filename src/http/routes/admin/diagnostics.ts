/**
 * `GET /api/admin/diagnostics`: one live `/v1/auth` call that tells
 * an operator which of four situations holds, with what to do about it, and
 * whether Djomy has ever delivered a webhook here, and how deliveries of
 * merchant events are going.
 */
import { Hono } from 'hono/tiny';
import { isDjomyError } from '../../../djomy/errors.ts';
import { loadConfig } from '../../../env.ts';
import { sendTestAlert } from '../../../payments/deliver-notification.ts';
import { deliveryStats } from '../../../store/outbox.ts';
import { countPaymentsByStatus } from '../../../store/payments.ts';
import { webhookStats } from '../../../store/webhook-events.ts';
import { type AppContext, type AppEnv, publicOrigin } from '../../context.ts';
import { Problem, problems } from '../../problem.ts';
import type { RouteSpec } from '../../spec.ts';

type Verdict = 'accepted' | 'refused' | 'edge_refused' | 'unreachable' | 'not_configured';

const REMEDIES: Record<Verdict, string[]> = {
  accepted: [],
  refused: [
    'Djomy answered 401: check DJOMY_CLIENT_ID and DJOMY_CLIENT_SECRET (wrangler secret put).',
    'Sandbox keys only work on https://sandbox-api.djomy.africa, production keys only on https://api.djomy.africa.',
  ],
  edge_refused: [
    "Djomy's edge (Cloudflare) refused this Worker before the API saw it: the caller's IP or partner domain is not allowed, or the production account is not activated.",
    'Workers have no fixed egress IP, so an IP allow-list cannot work: ask Djomy to validate your partner domain and set DJOMY_PARTNER_DOMAIN to it (sent as X-PARTNER-DOMAIN).',
    'Or point DJOMY_BASE_URL at a relay with a fixed IP that Djomy allows.',
  ],
  unreachable: ['Djomy did not answer in time or answered with errors; retry later. Check DJOMY_BASE_URL.'],
  not_configured: ['Set DJOMY_CLIENT_ID and DJOMY_CLIENT_SECRET (see /healthz).'],
};

async function checkCredentials(c: AppContext): Promise<{ verdict: Verdict; status?: number; ms?: number }> {
  const { djomy } = c.var.deps;
  if (!djomy) return { verdict: 'not_configured' };
  const started = Date.now();
  try {
    await djomy.authenticate();
    return { verdict: 'accepted', ms: Date.now() - started };
  } catch (error) {
    const ms = Date.now() - started;
    if (!isDjomyError(error)) throw error;
    if (error.kind === 'edge_refused') return { verdict: 'edge_refused', status: error.status, ms };
    if (error.kind === 'unauthorized' || error.kind === 'refused')
      return { verdict: 'refused', status: error.status, ms };
    return { verdict: 'unreachable', status: error.status, ms };
  }
}

function withoutQuery(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

async function diagnosticsRoute(c: AppContext) {
  const { deps } = c.var;
  const [credentials, webhooks, ledger, deliveries] = await Promise.all([
    checkCredentials(c),
    webhookStats(deps.db),
    countPaymentsByStatus(deps.db),
    deliveryStats(deps.db),
  ]);
  const webhookUrl = `${publicOrigin(c)}/webhooks/djomy`;
  return c.json({
    djomy: {
      baseUrl: deps.config.djomy?.baseUrl ?? null,
      partnerDomainSet: Boolean(deps.config.djomy?.partnerDomain),
      credentials: credentials.verdict,
      httpStatus: credentials.status ?? null,
      latencyMs: credentials.ms ?? null,
      remedies: REMEDIES[credentials.verdict],
    },
    webhooks: {
      url: webhookUrl,
      received: webhooks.total,
      lastReceivedAt: webhooks.lastReceivedAt ? new Date(webhooks.lastReceivedAt).toISOString() : null,
      hint:
        webhooks.total === 0
          ? `No valid Djomy webhook has ever arrived. Djomy sends nothing until this URL is set in its dashboard (espace développeur): ${webhookUrl}`
          : null,
    },
    alerts: { telegram: deps.config.telegram !== null },
    merchantEvents: {
      // Without its query string, which may hold a token of the merchant's.
      url: deps.config.merchantWebhook ? withoutQuery(deps.config.merchantWebhook.url) : null,
      pending: deliveries.pending,
      failed: deliveries.failed,
      lastDeliveredAt: deliveries.lastDeliveredAt ? new Date(deliveries.lastDeliveredAt).toISOString() : null,
      lastError: deliveries.lastError,
    },
    config: loadConfig(c.env).problems,
    ledger,
  });
}

/** `POST /api/admin/diagnostics/telegram`: a test alert to the merchant's chat. */
async function telegramTestRoute(c: AppContext) {
  const outcome = await sendTestAlert(c.var.deps);
  if (outcome.kind === 'not_configured')
    throw problems.misconfigured(['TELEGRAM_BOT_TOKEN', 'TELEGRAM_CHAT_ID']);
  if (outcome.kind === 'failed')
    throw new Problem({
      status: 502,
      slug: 'alert-failed',
      title: 'Telegram refused the test alert',
      detail: outcome.error,
    });
  return c.json({ sent: true });
}

export const adminDiagnostics = new Hono<AppEnv>()
  .get('/', diagnosticsRoute)
  .post('/telegram', telegramTestRoute);

export const adminDiagnosticSpecs = (): RouteSpec[] => [
  {
    method: 'get',
    path: '/api/admin/diagnostics',
    tag: 'Admin',
    admin: true,
    summary: 'Live Djomy credential check, edge refusal remedies, webhook arrivals',
    responses: {
      200: { description: 'The diagnosis' },
      401: { description: 'Missing or wrong admin token' },
    },
  },
  {
    method: 'post',
    path: '/api/admin/diagnostics/telegram',
    tag: 'Admin',
    admin: true,
    summary: "Send a test alert to the merchant's Telegram chat",
    responses: {
      200: { description: '`{sent: true}`' },
      401: { description: 'No valid token or session' },
      403: { description: 'The cashier may not' },
      502: { description: 'Telegram refused (its answer in `detail`)' },
      503: { description: 'TELEGRAM_BOT_TOKEN or TELEGRAM_CHAT_ID not set' },
    },
  },
];
