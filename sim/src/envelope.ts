/**
 * Djomy's answer shapes (docs/djomy.md#envelope-and-errors): the JSON envelope with
 * `status` echoing the HTTP code, and the HTML pages that come from the edge
 * rather than from the API (403 refusals, some 5xx).
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export interface DjomyError {
  code: number;
  message: string;
  details: string;
  fieldsErrors: string[];
}

export interface Envelope<T = unknown> {
  success: boolean;
  message: string;
  data: T | null;
  error: DjomyError | null;
  timestamp: string;
  status: number;
}

export function envelope<T>(
  status: number,
  message: string,
  data: T | null,
  error: DjomyError | null = null,
) {
  return { success: error === null, message, data, error, timestamp: new Date().toISOString(), status };
}

/** A successful answer: 200, or 201 on creations (the client accepts any 2xx). */
export function ok<T>(c: Context, data: T, message: string, status: 200 | 201 = 200): Response {
  return c.json(envelope(status, message, data), status);
}

/** An error answer; `fieldsErrors` names the fields at fault. */
export function fail(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  { details = message, fieldsErrors = [] }: { details?: string; fieldsErrors?: string[] } = {},
): Response {
  return c.json(envelope(status, message, null, { code: status, message, details, fieldsErrors }), status);
}

export const MESSAGES = {
  badCredentials: 'Identifiants invalides',
  expiredToken: 'token expiré',
  notFound: 'Ressource introuvable',
  paymentNotFound: 'Transaction introuvable',
  linkNotFound: 'Lien de paiement introuvable',
  badJson: 'Corps de requête JSON invalide',
  validation: 'Données invalides',
} as const;

/** Djomy's edge refusing the caller (IP or partner domain not allowed), as nginx/Cloudflare render it. */
export function edgeRefusalPage(): Response {
  return htmlError(403, '403 Forbidden', 'Access denied. You do not have permission to access this server.');
}

export function htmlError(status: number, title: string, text: string): Response {
  const body = `<!DOCTYPE html>
<html><head><title>${title}</title></head>
<body><center><h1>${title}</h1></center><p>${text}</p><hr><center>cloudflare</center></body></html>
`;
  return new Response(body, { status, headers: { 'content-type': 'text/html; charset=UTF-8' } });
}

/**
 * Reads the request body as a JSON object. Anything else (empty, malformed,
 * an array) is the 400 that Djomy's JSON parser would give.
 */
export async function readJsonObject(c: Context): Promise<Record<string, unknown> | Response> {
  const text = await c.req.text();
  try {
    const value: unknown = JSON.parse(text);
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      return value as Record<string, unknown>;
    }
  } catch {}
  return fail(c, 400, MESSAGES.badJson, { details: 'Le corps doit être un objet JSON.' });
}
