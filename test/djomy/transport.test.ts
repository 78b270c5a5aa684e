import { describe, expect, it } from 'vitest';
import { PaymentStatusData } from '../../src/djomy/schemas.ts';
import { interpret } from '../../src/djomy/transport.ts';

const call = { operation: 'getPaymentStatus', data: PaymentStatusData };
const envelope = (status: number, body: object) =>
  JSON.stringify({ timestamp: '2026-01-01T00:00:00.000Z', status, ...body });
const statusData = { transactionId: 't-1', status: 'PENDING', paidAmount: 1000, currency: 'GNF' };

function kindOf(status: number, text: string) {
  const result = interpret(call, status, text);
  return result.ok ? 'ok' : result.error.kind;
}

describe('interpreting a Djomy answer', () => {
  it('unwraps data from a success envelope, with 200 or 201', () => {
    for (const status of [200, 201]) {
      const result = interpret(
        call,
        status,
        envelope(status, { success: true, data: statusData, error: null }),
      );
      expect(result.ok && result.value.status).toBe('PENDING');
    }
  });

  it("a 2xx with success:false is Djomy's refusal, with its text", () => {
    const result = interpret(
      call,
      200,
      envelope(200, {
        success: false,
        message: 'm',
        error: { code: 400, message: 'Erreur', details: 'Détail', fieldsErrors: ['amount'] },
      }),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('refused');
      expect(result.error.detail).toBe('Détail');
      expect(result.error.fieldErrors).toEqual(['amount']);
    }
  });

  it('a 403 with an HTML body is an edge refusal (configuration), never retried', () => {
    const result = interpret(
      call,
      403,
      '<!DOCTYPE html><html><body>Access denied | Cloudflare</body></html>',
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('edge_refused');
      expect(result.error.configuration).toBe(true);
      expect(result.error.transient).toBe(false);
    }
  });

  it.each([
    ['HTML with 200', 200, '<html>maintenance</html>', 'bad_response'],
    ['truncated JSON with 200', 200, '{"success":true,"data":{"transactionId":', 'bad_response'],
    ['an empty body with 200', 200, '', 'bad_response'],
    ['JSON that is not an envelope', 200, '[1,2,3]', 'bad_response'],
    [
      'an envelope whose data has the wrong shape',
      200,
      envelope(200, { success: true, data: { status: 5 } }),
      'bad_response',
    ],
    ['HTML with 502', 502, '<html>Bad gateway</html>', 'server'],
    ['JSON 500', 500, envelope(500, { success: false, error: { message: 'boom' } }), 'server'],
    ['429', 429, envelope(429, { success: false }), 'rate_limited'],
    [
      '401 token expiré',
      401,
      envelope(401, { success: false, error: { message: 'token expiré' } }),
      'unauthorized',
    ],
    [
      'a JSON 403 (application refusal)',
      403,
      envelope(403, { success: false, message: 'Forbidden' }),
      'unauthorized',
    ],
    ['404', 404, envelope(404, { success: false }), 'not_found'],
    ['400', 400, envelope(400, { success: false, error: { message: 'Montant invalide' } }), 'refused'],
    ['422', 422, envelope(422, { success: false }), 'refused'],
    ['HTML 400', 400, '<html>bad</html>', 'bad_response'],
  ])('%s becomes %s', (_name, status, text, kind) => {
    expect(kindOf(status, text)).toBe(kind);
  });

  it('only transient kinds may be retried', () => {
    const transient = (status: number, text: string) => {
      const result = interpret(call, status, text);
      return !result.ok && result.error.transient;
    };
    expect(transient(503, '')).toBe(true);
    expect(transient(200, '<html>')).toBe(true);
    expect(transient(400, envelope(400, { success: false }))).toBe(false);
    expect(transient(401, envelope(401, { success: false }))).toBe(false);
  });

  it('any 5xx leaves the outcome of a POST unknown (a proxy may answer 503 after Djomy acted); a 429 or a 4xx does not', () => {
    const outcome = (status: number) => {
      const result = interpret(call, status, '');
      return !result.ok && result.error.outcomeUnknown;
    };
    expect(outcome(500)).toBe(true);
    expect(outcome(503)).toBe(true);
    expect(outcome(429)).toBe(false);
    expect(outcome(400)).toBe(false);
  });
});
