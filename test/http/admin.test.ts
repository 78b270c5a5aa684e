import { beforeAll, describe, expect, it } from 'vitest';
import { sim } from '../support/sim.ts';
import { admin, call, freshStart, gatewayOrder, json, transactionOf } from '../support/worker.ts';

beforeAll(() => freshStart());

describe('payments', () => {
  it('pages newest first with a cursor that stays stable while payments are added', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push(
        (
          await json(
            call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: `page-${i}` }) }),
          )
        ).id,
      );
    }
    const first = await json(admin('/api/admin/payments?limit=3'));
    expect(first.payments).toHaveLength(3);
    expect(first.nextCursor).toBeTruthy();
    // A payment created between two pages must not shift the next page.
    await call('/api/payments', { method: 'POST', json: gatewayOrder({ reference: 'late' }) });
    const seen = [...first.payments];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await json(admin(`/api/admin/payments?limit=3&cursor=${cursor}`));
      seen.push(...page.payments);
      cursor = page.nextCursor;
    }
    const seenIds = seen.map((p: { id: string }) => p.id);
    expect(new Set(seenIds).size).toBe(seenIds.length);
    for (const id of ids) expect(seenIds).toContain(id);
    expect(seenIds.indexOf(ids[6] as string)).toBeLessThan(seenIds.indexOf(ids[0] as string));
    const created = seen.map((p: { createdAt: string }) => p.createdAt);
    expect([...created].sort().reverse()).toEqual(created);
  });

  it('filters by status and masks phone numbers in lists', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'CANCELLED');
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    const { payments } = await json(admin('/api/admin/payments?status=CANCELLED'));
    expect(payments.map((p: { id: string }) => p.id)).toContain(id);
    expect(payments.every((p: { status: string }) => p.status === 'CANCELLED')).toBe(true);
    expect(payments[0].payer).toMatch(/^00224\*+\d{3}$/);
  });

  it.each(['limit=0', 'limit=101', 'limit=abc', 'status=PAID', 'cursor=garbage', 'extra=1'])(
    'refuses the query %s with 400',
    async (query) => {
      const response = await admin(`/api/admin/payments?${query}`);
      expect(response.status).toBe(400);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    },
  );

  it('shows one payment with its history and verifies it on demand', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    const verified = await json(admin(`/api/admin/payments/${id}/verify`, { method: 'POST' }));
    expect(verified).toMatchObject({
      changed: true,
      payment: { status: 'SUCCESS', paid: true, receivedAmount: expect.any(Number) },
    });
    const { payment, events, notifications } = await json(admin(`/api/admin/payments/${id}`));
    expect(payment.payer).toBe('00224622123456');
    expect(events.map((e: { to: string; source: string }) => `${e.to}/${e.source}`)).toEqual([
      'CREATED/create',
      // Djomy's transaction recorded on the order (a gateway session stays CREATED until opened).
      'CREATED/create',
      'SUCCESS/admin',
    ]);
    expect(events[1].detail).toEqual({ transactionId: payment.transactionId });
    expect(notifications).toEqual([expect.objectContaining({ type: 'payment.succeeded' })]);
    expect((await admin('/api/admin/payments/pay_unknownunknownunknownunknown00')).status).toBe(404);
  });
});

describe('products', () => {
  it('creates (201), updates (200), lists and deactivates (204) a product', async () => {
    const created = await admin('/api/admin/products/soap', {
      method: 'PUT',
      json: { name: 'Savon', amount: 5000 },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ sku: 'soap', amount: 5000, currency: 'GNF', active: true });
    const updated = await admin('/api/admin/products/soap', {
      method: 'PUT',
      json: { name: 'Savon noir', amount: 6000 },
    });
    expect(updated.status).toBe(200);
    expect((await json(call('/api/catalog'))).find((p: { sku: string }) => p.sku === 'soap')).toMatchObject({
      amount: 6000,
    });
    expect((await admin('/api/admin/products/soap', { method: 'DELETE' })).status).toBe(204);
    expect((await json(call('/api/catalog'))).some((p: { sku: string }) => p.sku === 'soap')).toBe(false);
    expect(
      (await json(admin('/api/admin/products'))).products.find((p: { sku: string }) => p.sku === 'soap')
        .active,
    ).toBe(false);
    expect((await admin('/api/admin/products/nothing', { method: 'DELETE' })).status).toBe(404);
  });

  it.each([
    [{ name: 'x', amount: 0 }],
    [{ name: 'x', amount: -5 }],
    [{ name: 'x', amount: 1.5 }],
    [{ name: '', amount: 100 }],
    [{ name: 'x', amount: 100, currency: 'EUR' }],
    [{ amount: 100 }],
  ])('refuses %j with 400', async (body) => {
    expect((await admin('/api/admin/products/bad', { method: 'PUT', json: body })).status).toBe(400);
  });

  it('refuses an unusable SKU', async () => {
    expect(
      (await admin('/api/admin/products/-bad', { method: 'PUT', json: { name: 'x', amount: 1 } })).status,
    ).toBe(400);
  });
});

describe('payment links', () => {
  it('a MULTIPLE link always carries a usage limit (100000 when none is given)', async () => {
    const link = await json(
      admin('/api/admin/links', { method: 'POST', json: { usageType: 'MULTIPLE', linkName: 'Comptoir' } }),
    );
    expect(link).toMatchObject({ usageType: 'MULTIPLE', usageLimit: 100000, status: 'ACTIVE' });
    expect(link.paymentPageUrl).toContain(link.reference);
    expect(link.qrCode).toContain(`/api/admin/links/${link.reference}/qr.svg`);
  });

  it('a UNIQUE link with an amount and an SMS to the payer', async () => {
    const response = await admin('/api/admin/links', {
      method: 'POST',
      json: {
        usageType: 'UNIQUE',
        amount: 25000,
        phone: '622123456',
        sendSms: true,
        merchantReference: 'INV-7',
      },
    });
    expect(response.status).toBe(201);
    const link = await response.json<{ reference: string }>();
    expect(await json(admin(`/api/admin/links/${encodeURIComponent(link.reference)}`))).toMatchObject({
      reference: link.reference,
      amount: 25000,
      merchantReference: 'INV-7',
      consumed: false,
    });
  });

  it.each([
    [{ usageType: 'UNIQUE', usageLimit: 5 }],
    [{ usageType: 'UNIQUE', sendSms: true }],
    [{ usageType: 'SOMETIMES' }],
    [{ usageType: 'UNIQUE', returnUrl: 'https://evil.example/' }],
  ])('refuses %j with 400', async (body) => {
    expect((await admin('/api/admin/links', { method: 'POST', json: body })).status).toBe(400);
  });

  it('serves the payment page as a QR code SVG', async () => {
    const link = await json(
      admin('/api/admin/links', { method: 'POST', json: { usageType: 'UNIQUE', amount: 1000 } }),
    );
    const response = await admin(`/api/admin/links/${encodeURIComponent(link.reference)}/qr.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml');
    const svg = await response.text();
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('<path');
    expect((await admin('/api/admin/links/unknown-ref/qr.svg')).status).toBe(404);
  });
});

describe('diagnostics', () => {
  it('reports accepted credentials and that no webhook ever arrived', async () => {
    const report = await json(admin('/api/admin/diagnostics'));
    expect(report.djomy).toMatchObject({ credentials: 'accepted', remedies: [] });
    expect(report.webhooks).toMatchObject({ received: 0, lastReceivedAt: null });
    expect(report.webhooks.hint).toContain('http://edge.localhost/webhooks/djomy');
    expect(report.merchantEvents).toMatchObject({
      url: 'http://djomy.localhost/__sim/merchant/webhook',
      pending: expect.any(Number),
      failed: 0,
    });
  });

  it('reports merchant deliveries: the last delivered, and the error of a failing one', async () => {
    const { id } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
    await sim.complete(await transactionOf(id), 'SUCCESS');
    await admin(`/api/admin/payments/${id}/verify`, { method: 'POST' });
    await admin(`/api/admin/payments/${id}/notify`, { method: 'POST' });
    const delivered = (await json(admin('/api/admin/diagnostics'))).merchantEvents;
    expect(delivered.lastDeliveredAt).toEqual(expect.any(String));
    await sim.config({ merchantResponse: { status: 500 } });
    try {
      const { id: other } = await json(call('/api/payments', { method: 'POST', json: gatewayOrder() }));
      await sim.complete(await transactionOf(other), 'SUCCESS');
      await admin(`/api/admin/payments/${other}/verify`, { method: 'POST' });
      await admin(`/api/admin/payments/${other}/notify`, { method: 'POST' });
      const failing = (await json(admin('/api/admin/diagnostics'))).merchantEvents;
      expect(failing.pending).toBeGreaterThanOrEqual(1);
      expect(failing.lastError).toMatch(/500/);
    } finally {
      await sim.config({ merchantResponse: { status: 200 } });
    }
  });

  it("names Djomy's edge refusal and its remedies (partner domain, fixed-IP relay)", async () => {
    await sim.config({ partnerDomain: 'shop.example' });
    try {
      const report = await json(admin('/api/admin/diagnostics'));
      expect(report.djomy.credentials).toBe('edge_refused');
      expect(report.djomy.httpStatus).toBe(403);
      expect(report.djomy.remedies.join(' ')).toMatch(/DJOMY_PARTNER_DOMAIN/);
      expect(report.djomy.remedies.join(' ')).toMatch(/relay/);
    } finally {
      await sim.config({ partnerDomain: null });
    }
  });
});
