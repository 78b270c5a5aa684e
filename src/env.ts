/**
 * Every binding, secret and setting the Worker reads (README.md, "Configure"), and the one
 * place that turns them into a validated `Config`. A missing or malformed
 * setting never throws: it becomes a named problem that `/healthz` reports
 * and that makes the affected routes answer 503.
 */

import { COUNTRIES, type Country } from './djomy/phone.ts';
import { DIRECT_METHODS } from './djomy/schemas.ts';
import { isLoopback, isSecureOrLoopback } from './lib/urls.ts';
import { decodeWebhookSecret } from './notify/standard-webhooks.ts';
import type { NotifyJob, VerifyJob } from './payments/model/messages.ts';
import { PLAN_LIMITS, type Plan, type PlanLimits } from './payments/model/plan.ts';

export interface Env {
  /** D1: the ledger (payments, events, products, links, webhook events, outbox, dead letters). */
  DB: D1Database;
  /** KV: Djomy bearer token cache. */
  TOKENS: KVNamespace;
  /** Queue of verify_payment jobs. */
  VERIFY_QUEUE: Queue<VerifyJob>;
  /** Queue of merchant webhook deliveries. */
  NOTIFY_QUEUE: Queue<NotifyJob>;
  /** Workers rate-limit binding for public routes, keyed by client IP. */
  PUBLIC_RATE_LIMIT: RateLimit;
  /** Rate limit of the admin API and the console, keyed by client IP. */
  ADMIN_RATE_LIMIT: RateLimit;
  /** Rate limit of sign-in attempts, keyed by client IP. */
  SIGNIN_RATE_LIMIT: RateLimit;
  /** Static assets (checkout.js, the demo shop). */
  ASSETS: Fetcher;

  // Secrets (`wrangler secret put`; `.dev.vars` locally).
  DJOMY_CLIENT_ID?: string;
  DJOMY_CLIENT_SECRET?: string;
  ADMIN_TOKEN?: string;
  /** Optional: the cashier's token (reads, phones masked; may ask "verify now"). At least 16 characters, not ADMIN_TOKEN. */
  VIEWER_TOKEN?: string;
  /** `whsec_<base64>`; required when MERCHANT_WEBHOOK_URL is set. */
  MERCHANT_WEBHOOK_SECRET?: string;
  /** Optional: a Telegram bot's token (from @BotFather), for payment alerts on the merchant's phone. */
  TELEGRAM_BOT_TOKEN?: string;

  // Vars (wrangler.toml).
  DJOMY_BASE_URL?: string;
  DJOMY_PARTNER_DOMAIN?: string;
  PUBLIC_URL?: string;
  ALLOWED_ORIGINS?: string;
  OTP_METHODS?: string;
  OPEN_AMOUNT_MIN?: string;
  OPEN_AMOUNT_MAX?: string;
  MERCHANT_WEBHOOK_URL?: string;
  DEFAULT_COUNTRY?: string;
  /** Milliseconds before a Djomy call is abandoned (default 10000). */
  DJOMY_TIMEOUT_MS?: string;
  /** Direct-flow prompts allowed per payer phone in 10 minutes (default 3). */
  PROMPTS_PER_PHONE?: string;
  /** Days after which webhook bodies, idempotency keys and phones of closed payments are purged (default 180). */
  RETENTION_DAYS?: string;
  /** `free` (default) or `paid`: the Cloudflare plan whose per-invocation limits the Worker keeps to. */
  WORKERS_PLAN?: string;
  /** The shop's name, shown to payers on their payment page and receipt. */
  MERCHANT_NAME?: string;
  /** The chat (a person, a group) that receives payment alerts; with TELEGRAM_BOT_TOKEN. */
  TELEGRAM_CHAT_ID?: string;
  /** The Bot API's origin (default https://api.telegram.org; the simulator locally). */
  TELEGRAM_API_BASE?: string;
}

export interface Config {
  djomy: {
    baseUrl: string;
    clientId: string;
    clientSecret: string;
    partnerDomain: string | null;
    timeoutMs: number;
  } | null;
  adminToken: string | null;
  /** The cashier's token, when set and usable. */
  viewerToken: string | null;
  /** Origin used to build return URLs; null = the request's own origin. */
  publicUrl: string | null;
  allowedOrigins: ReadonlySet<string>;
  otpMethods: ReadonlySet<string>;
  openAmount: { min: number; max: number } | null;
  merchantWebhook: { url: string; secret: string } | null;
  /** Payment alerts to a Telegram chat, when both settings are there. */
  telegram: { apiBase: string; token: string; chatId: string } | null;
  /** The shop's name for payers; null = none shown. */
  merchantName: string | null;
  defaultCountry: Country;
  promptsPerPhone: number;
  retentionDays: number;
  plan: Plan;
  /** What one invocation may do on that plan (docs/free-plan.md). */
  limits: PlanLimits;
}

/** A setting that is missing or malformed. `setting` names it; the value is never echoed. */
export interface ConfigProblem {
  setting: string;
  problem: string;
}

export interface LoadedConfig {
  config: Config;
  /** Settings that stop something from working: `/healthz` answers 503. */
  problems: ConfigProblem[];
  /** Settings that work but deserve a look (e.g. a plain-http site origin): `/healthz` still answers 200. */
  warnings: ConfigProblem[];
}

function parseOrigin(value: string, { allowHttp = false } = {}): string | null {
  if (!URL.canParse(value)) return null;
  const url = new URL(value);
  if (url.origin === 'null') return null;
  if (isSecureOrLoopback(url) || (allowHttp && url.protocol === 'http:')) return url.origin;
  return null;
}

function parseAmount(value: string | undefined): number | null {
  return value !== undefined && /^\d{1,12}$/.test(value.trim()) ? Number(value.trim()) : null;
}

const cache = new WeakMap<object, LoadedConfig>();

/**
 * Reads and validates the settings once per `env` object.
 *
 * @example const { config, problems } = loadConfig(env)
 */
export function loadConfig(env: Env): LoadedConfig {
  const cached = cache.get(env);
  if (cached) return cached;
  const problems: ConfigProblem[] = [];
  const warnings: ConfigProblem[] = [];
  const problem = (setting: string, text: string) => problems.push({ setting, problem: text });
  const text = (value: string | undefined) => value?.trim() || null;

  const baseUrlText = text(env.DJOMY_BASE_URL) ?? 'https://sandbox-api.djomy.africa';
  const baseUrl = parseOrigin(baseUrlText);
  if (!baseUrl) problem('DJOMY_BASE_URL', 'must be an https URL (http only for loopback hosts)');
  const clientId = text(env.DJOMY_CLIENT_ID);
  const clientSecret = text(env.DJOMY_CLIENT_SECRET);
  if (!clientId) problem('DJOMY_CLIENT_ID', 'missing secret');
  if (!clientSecret) problem('DJOMY_CLIENT_SECRET', 'missing secret');
  const timeoutMs = parseAmount(env.DJOMY_TIMEOUT_MS) ?? 10_000;

  const adminToken = text(env.ADMIN_TOKEN);
  if (!adminToken) problem('ADMIN_TOKEN', 'missing secret: the admin API is closed');
  else if (adminToken.length < 16)
    problem('ADMIN_TOKEN', 'shorter than 16 characters: the admin API is closed');

  const viewerToken = text(env.VIEWER_TOKEN);
  if (viewerToken && viewerToken.length < 16)
    problem('VIEWER_TOKEN', 'shorter than 16 characters: viewer sign-in is closed');
  else if (viewerToken && viewerToken === adminToken)
    problem('VIEWER_TOKEN', 'equals ADMIN_TOKEN: a cashier would be an admin; viewer sign-in is closed');

  let publicUrl: string | null = null;
  if (text(env.PUBLIC_URL)) {
    publicUrl = parseOrigin(text(env.PUBLIC_URL) as string);
    if (!publicUrl) problem('PUBLIC_URL', 'must be an https origin (http only for loopback hosts)');
  }

  // The operator's list is honoured as written, plain http included (a shop served on the local
  // network to test from a real phone); an http site on the internet is only a warning.
  const allowedOrigins = new Set<string>();
  for (const entry of (env.ALLOWED_ORIGINS ?? '').split(',')) {
    if (!entry.trim()) continue;
    const origin = parseOrigin(entry.trim(), { allowHttp: true });
    if (!origin) {
      problem('ALLOWED_ORIGINS', `"${entry.trim().slice(0, 100)}" is not an http(s) origin`);
      continue;
    }
    allowedOrigins.add(origin);
    const url = new URL(origin);
    if (url.protocol === 'http:' && !isLoopback(url)) {
      warnings.push({
        setting: 'ALLOWED_ORIGINS',
        problem: `${origin} is plain http: payers' data crosses the network unencrypted; use https outside a test network`,
      });
    }
  }

  const otpMethods = new Set(
    (env.OTP_METHODS ?? 'OM,MOMO,PAYCARD')
      .split(',')
      .map((m) => m.trim().toUpperCase())
      .filter(Boolean),
  );
  for (const method of otpMethods) {
    if (!(DIRECT_METHODS as readonly string[]).includes(method)) {
      problem('OTP_METHODS', `unknown method ${method}`);
    }
  }

  let openAmount: Config['openAmount'] = null;
  if (text(env.OPEN_AMOUNT_MIN) || text(env.OPEN_AMOUNT_MAX)) {
    const min = parseAmount(env.OPEN_AMOUNT_MIN);
    const max = parseAmount(env.OPEN_AMOUNT_MAX);
    if (min === null || max === null || min < 1 || min > max) {
      problem('OPEN_AMOUNT_MIN/OPEN_AMOUNT_MAX', 'both must be positive integers with MIN ≤ MAX');
    } else openAmount = { min, max };
  }

  let merchantWebhook: Config['merchantWebhook'] = null;
  const webhookUrl = text(env.MERCHANT_WEBHOOK_URL);
  if (webhookUrl) {
    let url: URL | null = null;
    try {
      url = new URL(webhookUrl);
    } catch {}
    const secret = text(env.MERCHANT_WEBHOOK_SECRET);
    if (!url || !isSecureOrLoopback(url)) problem('MERCHANT_WEBHOOK_URL', 'must be an https URL');
    // Checked by decoding it, as every delivery will: a secret that only looks right fails them all.
    else if (!secret || !decodeWebhookSecret(secret)) {
      problem(
        'MERCHANT_WEBHOOK_SECRET',
        'must be whsec_<base64 of at least 16 bytes> when MERCHANT_WEBHOOK_URL is set',
      );
    } else merchantWebhook = { url: url.href, secret };
  }

  let telegram: Config['telegram'] = null;
  const botToken = text(env.TELEGRAM_BOT_TOKEN);
  const chatId = text(env.TELEGRAM_CHAT_ID);
  if (botToken || chatId) {
    const apiBase = parseOrigin(text(env.TELEGRAM_API_BASE) ?? 'https://api.telegram.org');
    if (!botToken || !/^\d{3,20}:[\w-]{20,100}$/.test(botToken))
      problem(
        'TELEGRAM_BOT_TOKEN',
        'must be the token @BotFather gave (digits:letters) when TELEGRAM_CHAT_ID is set',
      );
    else if (!chatId || !/^(-?\d{1,20}|@\w{5,64})$/.test(chatId))
      problem('TELEGRAM_CHAT_ID', 'must be a chat id (digits, negative for a group) or @channelname');
    else if (!apiBase) problem('TELEGRAM_API_BASE', 'must be an https URL (http only for loopback hosts)');
    else telegram = { apiBase, token: botToken, chatId };
  }
  const merchantName = text(env.MERCHANT_NAME)?.slice(0, 100) ?? null;

  const country = (text(env.DEFAULT_COUNTRY) ?? 'GN').toUpperCase();
  const defaultCountry = (COUNTRIES as readonly string[]).includes(country) ? (country as Country) : 'GN';
  if (defaultCountry !== country) problem('DEFAULT_COUNTRY', 'must be GN, SL or LR');

  const promptsPerPhone = parseAmount(env.PROMPTS_PER_PHONE) ?? 3;
  if (text(env.PROMPTS_PER_PHONE) && (parseAmount(env.PROMPTS_PER_PHONE) ?? 0) < 1)
    problem('PROMPTS_PER_PHONE', 'must be a positive integer');
  const retentionDays = parseAmount(env.RETENTION_DAYS) ?? 180;
  if (text(env.RETENTION_DAYS) && (parseAmount(env.RETENTION_DAYS) ?? 0) < 1)
    problem('RETENTION_DAYS', 'must be a positive number of days');

  const planText = (text(env.WORKERS_PLAN) ?? 'free').toLowerCase();
  const plan: Plan = planText === 'paid' ? 'paid' : 'free';
  if (planText !== plan) problem('WORKERS_PLAN', 'must be free or paid');

  const config: Config = {
    djomy:
      baseUrl && clientId && clientSecret
        ? { baseUrl, clientId, clientSecret, partnerDomain: text(env.DJOMY_PARTNER_DOMAIN), timeoutMs }
        : null,
    adminToken: adminToken && adminToken.length >= 16 ? adminToken : null,
    viewerToken: viewerToken && viewerToken.length >= 16 && viewerToken !== adminToken ? viewerToken : null,
    publicUrl,
    allowedOrigins,
    otpMethods,
    openAmount,
    merchantWebhook,
    telegram,
    merchantName,
    defaultCountry,
    promptsPerPhone: Math.max(1, promptsPerPhone),
    retentionDays: Math.max(1, retentionDays),
    plan,
    limits: PLAN_LIMITS[plan],
  };
  const loaded = { config, problems, warnings };
  cache.set(env, loaded);
  return loaded;
}
