import { env } from 'cloudflare:workers';
import { beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../support/sim.ts';
import {
  admin,
  call,
  directOrder,
  freshPhone,
  freshStart,
  gatewayOrder,
  json,
  SHOP,
  transactionOf,
  waitFor,
} from '../support/worker.ts';

beforeAll(() => freshStart({ simWebhooks: true }));

describe('the catalog', () => {
  it('lists active products with their prices', async () => {
    const catalog = await json(call('/api/catalog'));
    expect(catalog).toContainEqual({ sku: 'cap', name: 'Casquette', amount: 30000, currency: 'GNF' });
  });
});

describe('gateway flow: create → portal → return → paid', () => {
  it('prices the order server-side and sends the payer to the portal', async () => {
    const response = await call('/api/payments', { method: 'POST', json: gatewayOrder() });
    expect(response.status).toBe(201);
    const created = await response.json<{
      id: string;
      status: string;
      amount: number;
      next: { type: string; url: string };
    }>();
    expect(created).toMatchObject({ flow: 'gateway', amount: 60000, currency: 'GNF', reference: 'order-1' });
    expect(created.id).toMatch(/^pay_[a-z2-7]{32}$/);
    expect(created.next.type).toBe('redirect');
    expect(created.next.url).toContain('/portal/');

    const truth = await sim.payment(await transactionOf(created.id));
    expect(truth).toMatchObject({ amount: 60000, merchantPaymentReference: created.id, flow: 'gateway' });
    expect(truth.returnUrl).toBe(`http://edge.localhost/return/${created.id}`);
  });

  it('after paying on the portal, /return verifies with Djomy and redirects to the success URL', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    const back = await call(`/return/${id}?transactionId=whatever&status=FAILED`);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${SHOP}/merci?payment=${id}`);
    expect(await json(call(`/api/payments/${id}`))).toMatchObject({ id, status: 'SUCCESS', paid: true });
  });

  it('a cancelled payment returns to the cancel URL with its status', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'CANCELLED');
    const back = await call(`/return/${id}?status=SUCCESS`);
    expect(back.status).toBe(303);
    expect(back.headers.get('location')).toBe(`${SHOP}/panier?payment=${id}&status=CANCELLED`);
  });

  it('the query string is no proof: an open payment shows the waiting page', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    const back = await call(`/return/${id}?transactionId=x&status=SUCCESS`, {
      headers: { accept: 'text/html' },
    });
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toContain('text/html');
    expect(await back.text()).toContain('Paiement en cours');
    expect(await json(call(`/api/payments/${id}`))).toMatchObject({ paid: false });
  });

  it('the webhook alone brings the ledger to SUCCESS through the verify queue', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    await sim.drainWebhooks();
    await waitFor(async () => (await json(admin(`/api/admin/payments/${id}`))).payment.paid);
    const { events } = await json(admin(`/api/admin/payments/${id}`));
    expect(events.map((e: { to: string; source: string }) => `${e.to}:${e.source}`)).toContain(
      'SUCCESS:webhook',
    );
  });
});

describe('direct flow', () => {
  it('OM asks for the OTP; once Djomy accepts the code, a verify makes it paid', async () => {
    const created = await json(call('/api/payments', { method: 'POST', json: directOrder() }));
    expect(created).toMatchObject({
      flow: 'direct',
      status: 'PENDING',
      paymentMethod: 'OM',
      next: { type: 'otp' },
    });
    const truth = await sim.payment(await transactionOf(created.id));
    expect(truth.otp).toMatch(/^\d{4,6}$/);

    const confirmed = await call(`/api/payments/${created.id}/otp`, {
      method: 'POST',
      json: { otp: truth.otp },
    });
    expect(confirmed.status).toBe(200);
    // The Worker verifies right after Djomy accepts the code: the answer already says paid.
    expect(await confirmed.json()).toMatchObject({ id: created.id, status: 'SUCCESS', paid: true });
    const { events } = await json(admin(`/api/admin/payments/${created.id}`));
    expect(events.at(-1)).toMatchObject({ to: 'SUCCESS', source: 'otp', detail: { djomyStatus: 'SUCCESS' } });
  });

  it('KULU gives a URL to open', async () => {
    const created = await json(
      call('/api/payments', { method: 'POST', json: directOrder({ paymentMethod: 'KULU' }) }),
    );
    expect(created.next.type).toBe('open_url');
    expect(created.next.url).toContain('/kulu/');
  });

  it('a push-mode method asks the payer to approve on the phone', async () => {
    const created = await json(
      call('/api/payments', { method: 'POST', json: directOrder({ paymentMethod: 'SOUTRA_MONEY' }) }),
    );
    expect(created.next).toEqual({ type: 'approve_on_phone' });
  });

  it('a wrong OTP is refused by Djomy as 422 and the payment stays open', async () => {
    const created = await json(call('/api/payments', { method: 'POST', json: directOrder() }));
    const truth = await sim.payment(await transactionOf(created.id));
    const wrong = truth.otp === '0000' ? '1111' : '0000';
    const response = await call(`/api/payments/${created.id}/otp`, { method: 'POST', json: { otp: wrong } });
    expect(response.status).toBe(422);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await json(call(`/api/payments/${created.id}`))).toMatchObject({ status: 'PENDING', paid: false });
  });
});

describe('Idempotency-Key', () => {
  it('the same key and body return the first answer, with one Djomy create', async () => {
    await sim.resetCounters();
    const init = {
      method: 'POST',
      json: gatewayOrder({ reference: 'idem-1' }),
      headers: { 'idempotency-key': 'k-same-1' },
    };
    const first = await call('/api/payments', init);
    const second = await call('/api/payments', init);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect((await sim.counters()).createGateway).toBe(1);
  });

  it('the same key with another body is a 409 and creates nothing', async () => {
    await call('/api/payments', {
      method: 'POST',
      json: gatewayOrder(),
      headers: { 'idempotency-key': 'k-diff' },
    });
    await sim.resetCounters();
    const other = await call('/api/payments', {
      method: 'POST',
      json: gatewayOrder({ items: [{ sku: 'cap', quantity: 3 }] }),
      headers: { 'idempotency-key': 'k-diff' },
    });
    expect(other.status).toBe(409);
    expect((await sim.counters()).createGateway).toBe(0);
  });
});

describe('polling the public view', () => {
  it('a crowd of polls makes exactly one Djomy call, and the view carries no phone number', async () => {
    const phone = freshPhone();
    const { id } = await json(
      call('/api/payments', {
        method: 'POST',
        json: directOrder({ paymentMethod: 'SOUTRA_MONEY', payer: { phone } }),
      }),
    );
    // Old enough that a poll is allowed to ask Djomy (a fresh payment has nothing to learn yet).
    await env.DB.prepare('UPDATE payments SET created_at = created_at - 60000 WHERE id = ?').bind(id).run();
    // Counted on the payment: the simulator's counters also see the checks other payments' webhooks start.
    const checks = async () => (await json(admin(`/api/admin/payments/${id}`))).payment.verifyCount;
    const before = await checks();
    const views = await Promise.all(Array.from({ length: 20 }, () => json(call(`/api/payments/${id}`))));
    expect((await checks()) - before).toBe(1);
    for (const view of views) {
      expect(Object.keys(view).sort()).toEqual(
        [
          'amount',
          'currency',
          'flow',
          'id',
          'next',
          'paid',
          'payUrl',
          'paymentMethod',
          'reference',
          'status',
          'updatedAt',
        ].sort(),
      );
    }
    expect(JSON.stringify(views)).not.toContain(phone);
  });

  it('without success or cancel URLs, /return shows the verified result itself', async () => {
    const { id } = await json(
      call('/api/payments', {
        method: 'POST',
        json: gatewayOrder({ successUrl: undefined, cancelUrl: undefined }),
      }),
    );
    await sim.complete(await transactionOf(id), 'SUCCESS');
    const page = await call(`/return/${id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('Paiement reçu');
    expect(html).toContain('SUCCESS');
  });
});
