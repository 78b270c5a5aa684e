/**
 * What stands in front of every Djomy API endpoint, in this order: the call
 * is counted; the injected latency is waited; the production-like edge
 * refuses a missing or wrong `X-PARTNER-DOMAIN` with 403 HTML
 * (docs/djomy.md#edge-refusal-and-partner-domain);
 * then an injected fault may replace the answer.
 *
 * A fault is decided before the call is processed, so a faulted create
 * creates nothing, except `timeout` on a create: the payment or link IS
 * created and the answer never comes in time, which is the realistic
 * "outcome unknown" case that a client must not blindly retry (docs/money-safety.md).
 * `reset` is the other "outcome unknown" case, on any endpoint: the call is
 * processed, its answer starts, and the connection dies while the body is read.
 * A handler can ask for the same (`loseAnswer`), for a payer's test number.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { config } from './config.ts';
import { countCall } from './counters.ts';
import type { SimHono } from './env.ts';
import { edgeRefusalPage, envelope, fail, htmlError } from './envelope.ts';
import { currentFaults, decideFault, type Endpoint, type FaultKind } from './faults.ts';
import { flushWebhooks, sleep } from './webhooks.ts';

const CREATES: ReadonlySet<Endpoint> = new Set(['createPayment', 'createGateway', 'createLink']);

function faultAnswer(c: Context, kind: Exclude<FaultKind, 'timeout' | 'reset'>): Response {
  switch (kind) {
    case '429':
      c.header('retry-after', '1');
      return fail(c, 429, 'Trop de requêtes');
    case '500':
    case '502':
    case '503':
      return fail(c, Number(kind) as 500 | 502 | 503, 'Erreur interne du serveur');
    case 'html403':
      return edgeRefusalPage();
    case 'html500':
      return htmlError(500, '500 Internal Server Error', 'The server encountered an internal error.');
    case 'truncated': {
      // A success-looking body cut off mid-way: valid headers, unparseable JSON.
      const text = JSON.stringify(envelope(200, 'Succès', { transactionId: crypto.randomUUID() }));
      return new Response(text.slice(0, Math.floor(text.length / 2)), {
        headers: { 'content-type': 'application/json' },
      });
    }
    case 'successFalse':
      return c.json(
        envelope(200, 'Opération échouée', null, {
          code: 500,
          message: 'Opération échouée',
          details: 'Erreur inattendue',
          fieldsErrors: [],
        }),
        200,
      );
  }
}

function gatewayTimeout(): Response {
  return htmlError(504, '504 Gateway Time-out', 'The upstream server did not answer in time.');
}

/** How long the lost answer's first bytes stay alone on the wire before the connection dies. */
const RESET_AFTER_MS = 20;

/**
 * The processed answer, lost in transit: same status and headers, the first
 * half of the body, then the stream errors, so the caller's body read throws
 * as on a connection reset. No Content-Length, so nothing looks complete.
 */
async function lostAnswer(processed: Response): Promise<Response> {
  const bytes = new Uint8Array(await processed.arrayBuffer());
  const firstHalf = bytes.slice(0, Math.floor(bytes.length / 2));
  let started = false;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!started) {
        started = true;
        controller.enqueue(firstHalf);
        return;
      }
      await sleep(RESET_AFTER_MS);
      controller.error(new Error('Djomy simulator: connection reset while the answer was read'));
    },
  });
  const headers = new Headers(processed.headers);
  headers.delete('content-length');
  return new Response(body, { status: processed.status, statusText: processed.statusText, headers });
}

/** @example api.post('/v1/payments', gate('createPayment'), requireClient, createPayment) */
export function gate(endpoint: Endpoint): MiddlewareHandler<SimHono> {
  return async (c, next) => {
    countCall(endpoint);
    const faults = currentFaults();
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const { partnerDomain } = config();
    if (partnerDomain !== null && c.req.header('x-partner-domain') !== partnerDomain) {
      return edgeRefusalPage();
    }
    const fault = decideFault(endpoint, c.req.path);
    if (fault === 'timeout') {
      if (CREATES.has(endpoint)) {
        await next();
        await flushWebhooks(c);
      }
      await sleep(faults.hangMs);
      // After next() Hono keeps c.res and ignores a returned Response, so replace it outright.
      c.res = gatewayTimeout();
      return c.res;
    }
    if (fault && fault !== 'reset') return faultAnswer(c, fault);
    await next();
    if (fault === 'reset' || c.get('loseAnswer')) {
      await flushWebhooks(c);
      c.res = await lostAnswer(c.res);
    }
  };
}
