import { beforeEach, describe, expect, it } from 'vitest';
import verifyPaymentSchema from '../fixtures/afrotools-djomy/verify_payment.schema.json';
import { djomy, djomySchemaErrors, djomyToken, sim } from '../support/sim.ts';

let token: string;
let ids: { pending: string; success: string; failed: string };

const list = (query = '') => djomy('GET', `/v1/payments${query}`, { token });

async function directPayment(amount: number): Promise<string> {
  const { body } = await djomy('POST', '/v1/payments', {
    token,
    body: { paymentMethod: 'MOMO', payerIdentifier: '00224660000001', amount, countryCode: 'GN' },
  });
  return body.data.transactionId;
}

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
  ids = {
    pending: await directPayment(1000),
    success: await directPayment(2000),
    failed: await directPayment(3000),
  };
  await sim.complete(ids.success, 'SUCCESS');
  await sim.complete(ids.failed, 'FAILED');
});

const today = () => new Date().toISOString().slice(0, 10);

describe('GET /v1/payments', () => {
  it('lists SUCCESS and PENDING payments of the current month by default, newest first, as a page', async () => {
    const { status, body } = await list();
    expect(status).toBe(200);
    expect(body.data).toMatchObject({ last: true, totalPages: 1, totalElements: 2, number: 0, size: 20 });
    expect(body.data.content.map((p: { transactionId: string }) => p.transactionId)).toEqual([
      ids.success,
      ids.pending,
    ]);
  });

  it('lists items with the verify_payment status fields', async () => {
    const { body } = await list();
    for (const item of body.data.content) {
      const asStatus = { ...body, data: item };
      expect(djomySchemaErrors(verifyPaymentSchema, asStatus)).toEqual([]);
    }
  });

  it('filters by a comma-separated statuses list', async () => {
    const { body } = await list('?statuses=FAILED');
    expect(body.data.content.map((p: { transactionId: string }) => p.transactionId)).toEqual([ids.failed]);
  });

  it('pages with flat page/size and with paginationRequest[page]/[size]', async () => {
    const flat = await list('?statuses=SUCCESS,PENDING,FAILED&page=1&size=2');
    expect(flat.body.data).toMatchObject({ number: 1, size: 2, totalPages: 2, totalElements: 3, last: true });
    expect(flat.body.data.content).toHaveLength(1);
    const nested = await list(
      '?statuses=SUCCESS,PENDING,FAILED&paginationRequest%5Bpage%5D=0&paginationRequest%5Bsize%5D=2',
    );
    expect(nested.body.data).toMatchObject({ number: 0, size: 2, last: false });
  });

  it('sorts by paidAmount ascending when asked', async () => {
    const { body } = await list('?statuses=SUCCESS,PENDING,FAILED&sortBy=paidAmount&sortDirection=asc');
    expect(body.data.content.map((p: { paidAmount: number }) => p.paidAmount)).toEqual([1000, 2000, 3000]);
  });

  it('keeps payments inside a given period and drops those outside', async () => {
    expect((await list(`?startDate=${today()}&endDate=${today()}`)).body.data.totalElements).toBe(2);
    expect((await list('?startDate=2020-01-01&endDate=2020-01-31')).body.data.totalElements).toBe(0);
  });

  it.each([
    ['a half period (startDate without endDate)', '?startDate=2026-01-01', 'endDate'],
    ['a half period (endDate without startDate)', '?endDate=2026-01-31', 'startDate'],
    [
      'date-times instead of dates',
      '?startDate=2026-01-01T00:00:00Z&endDate=2026-01-31T00:00:00Z',
      'startDate',
    ],
    ['an impossible date', '?startDate=2026-02-30&endDate=2026-03-01', 'startDate'],
    ['a reversed period', '?startDate=2026-03-01&endDate=2026-01-01', 'startDate'],
    ['an unknown status', '?statuses=PAID', 'statuses'],
    ['a size over 100', '?size=500', 'size'],
    ['a negative page', '?page=-1', 'page'],
    ['an unknown sort key', '?sortBy=amount', 'sortBy'],
  ])('refuses %s with 400', async (_case, query, field) => {
    const { status, body } = await list(query);
    expect(status).toBe(400);
    expect(body.error.fieldsErrors).toContain(field);
  });
});
