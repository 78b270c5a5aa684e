import { beforeEach, describe, expect, it } from 'vitest';
import { djomy, djomyToken, SIM_ORIGIN, sim } from '../support/sim.ts';

let token: string;

beforeEach(async () => {
  await sim.reset();
  await sim.config({ webhookUrl: null });
  token = await djomyToken();
});

async function createDirect(paymentMethod: string, extra: Record<string, unknown> = {}): Promise<string> {
  const { body } = await djomy('POST', '/v1/payments', {
    token,
    body: { paymentMethod, payerIdentifier: '00224620123456', amount: 15000, countryCode: 'GN', ...extra },
  });
  return body.data.transactionId;
}

const page = async (path: string) => {
  const response = await fetch(`${SIM_ORIGIN}${path}`);
  return { status: response.status, text: await response.text(), type: response.headers.get('content-type') };
};
const post = (path: string, form: Record<string, string> = {}) =>
  fetch(`${SIM_ORIGIN}${path}`, { method: 'POST', body: new URLSearchParams(form), redirect: 'manual' });

describe("the payer's phone (/__sim/phone)", () => {
  it('shows each open OTP payment with its OTP and Approve / Decline buttons', async () => {
    const id = await createDirect('OM');
    const { otp } = await sim.payment(id);
    const { status, text, type } = await page('/__sim/phone');
    expect(status).toBe(200);
    expect(type).toMatch(/^text\/html/);
    expect(text).toContain(`data-testid="phone-otp-${id}">${otp}<`);
    expect(text).toContain(`data-testid="phone-approve-${id}"`);
    expect(text).toContain(`data-testid="phone-decline-${id}"`);
  });

  it('shows a push payment without an OTP', async () => {
    const id = await createDirect('SOUTRA_MONEY');
    const { text } = await page('/__sim/phone');
    expect(text).toContain(`data-testid="phone-approve-${id}"`);
    expect(text).not.toContain(`phone-otp-${id}`);
  });

  it('approves a payment (SUCCESS) and removes it from the phone', async () => {
    const id = await createDirect('SOUTRA_MONEY');
    const answer = await post(`/__sim/phone/${id}/approve`);
    expect(answer.status).toBe(303);
    expect((await sim.payment(id)).status).toBe('SUCCESS');
    expect((await page('/__sim/phone')).text).toContain('data-testid="phone-empty"');
  });

  it('declines a payment (FAILED)', async () => {
    const id = await createDirect('OM');
    await post(`/__sim/phone/${id}/decline`);
    expect((await sim.payment(id)).status).toBe('FAILED');
  });

  it('refuses to act on a payment that no longer waits', async () => {
    const id = await createDirect('OM');
    await sim.complete(id, 'CANCELLED');
    expect((await post(`/__sim/phone/${id}/approve`)).status).toBe(409);
  });
});

describe('the KULU page', () => {
  it('approves a KULU payment and sends the payer back to returnUrl', async () => {
    const id = await createDirect('KULU', { returnUrl: 'https://edge.example/return/k1' });
    expect((await page(`/kulu/${id}`)).text).toContain('data-testid="kulu-approve"');
    const answer = await post(`/kulu/${id}`, { answer: 'approve' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe(
      `https://edge.example/return/k1?transactionId=${id}&status=SUCCESS`,
    );
  });

  it('declines a KULU payment as CANCELLED', async () => {
    const id = await createDirect('KULU');
    await post(`/kulu/${id}`, { answer: 'decline' });
    expect((await sim.payment(id)).status).toBe('CANCELLED');
  });

  it('answers 404 for a payment that is not KULU', async () => {
    expect((await page(`/kulu/${await createDirect('OM')}`)).status).toBe(404);
  });
});

describe('the link payment page', () => {
  async function createLink(body: Record<string, unknown>): Promise<string> {
    return (await djomy('POST', '/v1/links', { token, body })).body.data.paymentLinkReference;
  }

  it('asks for the amount on a free-amount link and pays it', async () => {
    const reference = await createLink({ countryCode: 'GN', usageType: 'MULTIPLE', usageLimit: 10 });
    expect((await page(`/links/${reference}`)).text).toContain('data-testid="link-amount-input"');
    const answer = await post(`/links/${reference}`, {
      amount: '2500',
      phone: '00224620123456',
      method: 'MOMO',
    });
    expect(answer.status).toBe(200);
    expect(await answer.text()).toContain('data-testid="outcome-status">SUCCESS');
    const [payment] = await sim.payments();
    expect(payment).toMatchObject({
      paidAmount: 2500,
      paymentMethod: 'MOMO',
      paymentLinkReference: reference,
    });
  });

  it('goes straight back to returnUrl when skipDjomyStatusPage is set', async () => {
    const reference = await createLink({
      countryCode: 'GN',
      amountToPay: 3000,
      returnUrl: 'https://shop.example/thanks',
      skipDjomyStatusPage: true,
    });
    const answer = await post(`/links/${reference}`, { phone: '00224620123456' });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toMatch(
      /^https:\/\/shop\.example\/thanks\?transactionId=.+&status=SUCCESS$/,
    );
  });

  it('refuses a bad phone or amount and shows the form again', async () => {
    const reference = await createLink({ countryCode: 'GN' });
    const answer = await post(`/links/${reference}`, { amount: '12.5', phone: '00224620123456' });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toContain('data-testid="link-error"');
  });

  it('shows a closed link as closed', async () => {
    const reference = await createLink({ countryCode: 'GN', amountToPay: 1000 });
    await sim.payLink(reference);
    const { status, text } = await page(`/links/${reference}`);
    expect(status).toBe(410);
    expect(text).toContain('data-testid="link-closed"');
  });
});

describe('the dashboard (/__sim/)', () => {
  it('lists payments with their OTP, links and the configuration', async () => {
    const id = await createDirect('OM');
    const { otp } = await sim.payment(id);
    await djomy('POST', '/v1/links', { token, body: { countryCode: 'GN' } });
    const { status, text } = await page('/__sim/');
    expect(status).toBe(200);
    expect(text).toContain(`data-testid="dashboard-payment-${id}"`);
    expect(text).toContain(`${otp}`);
    expect(text).toContain('/links/LNK-');
    expect(text).toContain('tokenTtlSeconds');
  });

  it('completes a payment from its buttons', async () => {
    const id = await createDirect('OM');
    const answer = await post(`/__sim/ui/payments/${id}/complete`, { status: 'TIMEOUT' });
    expect(answer.status).toBe(303);
    expect((await sim.payment(id)).status).toBe('TIMEOUT');
  });

  it('escapes what merchants send', async () => {
    await createDirect('OM', { merchantPaymentReference: '<script>alert(1)</script>' });
    const { text } = await page('/__sim/');
    expect(text).not.toContain('<script>alert(1)</script>');
    expect(text).toContain('&lt;script&gt;');
  });
});

describe('landmarks of every page', () => {
  it('put the content of the dashboard and the phone in <main> with an <h1>, under a <header> with a <nav>', async () => {
    for (const path of ['/__sim/', '/__sim/phone']) {
      const { text } = await page(path);
      expect(text).toContain('<html lang="fr">');
      expect(text).toMatch(/<header>[\s\S]*<nav aria-label="Simulateur">[\s\S]*<\/header>\s*<main>\s*<h1>/);
      expect(text).toMatch(/<\/main>\s*<\/body>/);
    }
  });

  it('put the payer pages in <main> too, without the simulator navigation', async () => {
    const kulu = await createDirect('KULU');
    const { body } = await djomy('POST', '/v1/payments/gateway', {
      token,
      body: { amount: 5000, countryCode: 'GN', payerNumber: '00224620123456' },
    });
    const link = await djomy('POST', '/v1/links', { token, body: { countryCode: 'GN', amountToPay: 1000 } });
    for (const path of [
      `/kulu/${kulu}`,
      `/portal/${body.data.transactionId}`,
      `/links/${link.body.data.paymentLinkReference}`,
    ]) {
      const { text } = await page(path);
      expect(text).toMatch(/<header>[\s\S]*<\/header>\s*<main>\s*<h1>/);
      expect(text).not.toContain('<nav');
    }
  });
});
