/**
 * Every binding, secret and setting the Worker reads (SPEC §1–2), and the one
 * place that turns them into a validated `Config`. A missing or malformed
 * setting never throws: it becomes a named problem that `/healthz` reports
 * and that makes the affected routes answer 503.
 */

import { COUNTRIES, type Country } from './djomy/phone.ts';
import { DIRECT_METHODS } from './djomy/schemas.ts';
import type { NotifyJob, VerifyJob } from './jobs/messages.ts';

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
  /** Static assets (checkout.js, the demo shop). */
  ASSETS: Fetcher;

  // Secrets (`wrangler secret put`; `.dev.vars` locally).
  DJOMY_CLIENT_ID?: string;
  DJOMY_CLIENT_SECRET?: string;
  ADMIN_TOKEN?: string;
  /** `whsec_<base64>`; required when MERCHANT_WEBHOOK_URL is set. */
  MERCHANT_WEBHOOK_SECRET?: string;

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
  /** Origin used to build return URLs; null = the request's own origin. */
  publicUrl: string | null;
  allowedOrigins: ReadonlySet<string>;
  otpMethods: ReadonlySet<string>;
  openAmount: { min: number; max: number } | null;
  merchantWebhook: { url: string; secret: string } | null;
  defaultCountry: Country;
}

/** A setting that is missing or malformed. `setting` names it; the value is never echoed. */
export interface ConfigProblem {
  setting: string;
  problem: string;
}

export interface LoadedConfig {
  config: Config;
  problems: ConfigProblem[];
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** `http://` is acceptable only for loopback hosts (`*.localhost` included); anything else must be https. */
export function isSecureOrLoopback(url: URL): boolean {
  if (url.protocol === 'https:') return true;
  return (
    url.protocol === 'http:' && (LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost'))
  );
}

function parseOrigin(value: string): string | null {
  try {
    const url = new URL(value);
    return url.origin !== 'null' && isSecureOrLoopback(url) ? url.origin : null;
  } catch {
    return null;
  }
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

  let publicUrl: string | null = null;
  if (text(env.PUBLIC_URL)) {
    publicUrl = parseOrigin(text(env.PUBLIC_URL) as string);
    if (!publicUrl) problem('PUBLIC_URL', 'must be an https origin (http only for loopback hosts)');
  }

  const allowedOrigins = new Set<string>();
  for (const entry of (env.ALLOWED_ORIGINS ?? '').split(',')) {
    if (!entry.trim()) continue;
    const origin = parseOrigin(entry.trim());
    if (origin) allowedOrigins.add(origin);
    else problem('ALLOWED_ORIGINS', `"${entry.trim()}" is not an https origin`);
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
    else if (!secret || !/^whsec_[A-Za-z0-9+/]{22,}={0,2}$/.test(secret)) {
      problem('MERCHANT_WEBHOOK_SECRET', 'must be set as whsec_<base64> when MERCHANT_WEBHOOK_URL is set');
    } else merchantWebhook = { url: url.href, secret };
  }

  const country = (text(env.DEFAULT_COUNTRY) ?? 'GN').toUpperCase();
  const defaultCountry = (COUNTRIES as readonly string[]).includes(country) ? (country as Country) : 'GN';
  if (defaultCountry !== country) problem('DEFAULT_COUNTRY', 'must be GN, SL or LR');

  const config: Config = {
    djomy:
      baseUrl && clientId && clientSecret
        ? { baseUrl, clientId, clientSecret, partnerDomain: text(env.DJOMY_PARTNER_DOMAIN), timeoutMs }
        : null,
    adminToken: adminToken && adminToken.length >= 16 ? adminToken : null,
    publicUrl,
    allowedOrigins,
    otpMethods,
    openAmount,
    merchantWebhook,
    defaultCountry,
  };
  const loaded = { config, problems };
  cache.set(env, loaded);
  return loaded;
}
