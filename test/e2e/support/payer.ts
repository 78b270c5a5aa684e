/**
 * The payer's pages (`/pay/{id}`, `/r/{id}`, `/v/{id}`) as the tests reach
 * them: payments made from outside the browser, settled on the simulator and
 * verified by the Worker, and the QR code of a receipt read back from a
 * screenshot of it.
 */
import jsQR from 'jsqr';
import type { Page } from 'playwright-core';
import { createPayment, ledgerReaches, simControl, simPaymentOf, stack, waitFor } from './api.ts';

let phones = 0;
/** A payer phone of its own (`62270…`): at most PROMPTS_PER_PHONE direct prompts go to one phone in 10 minutes. */
export const payerPhone = () => `62270${String(++phones).padStart(4, '0')}`;

export interface Created {
  id: string;
  amount: number;
  payUrl: string;
}

/** A direct OTP payment (Orange Money), open: the operator "sent" its code. */
export async function openOtpPayment(phone = payerPhone()): Promise<Created> {
  return (await createPayment({
    flow: 'direct',
    paymentMethod: 'OM',
    items: [{ sku: 'tasse', quantity: 1 }],
    payer: { phone },
    reference: `payer-${phone}`,
  })) as unknown as Created;
}

/** A gateway payment, left open on the portal. */
export async function openGatewayPayment(): Promise<Created> {
  return (await createPayment({
    items: [{ sku: 'casquette', quantity: 1 }],
    payer: { phone: '+224 622 98 76 54' },
    reference: 'payer-gateway',
  })) as unknown as Created;
}

/** A gateway payment paid at the simulator and verified by the Worker (the ledger says SUCCESS). */
export async function paidPayment(): Promise<Created> {
  const created = await openGatewayPayment();
  const { transactionId } = await simPaymentOf(created.id);
  await simControl('POST', `/payments/${transactionId}/complete`, { status: 'SUCCESS' });
  // The payer's return makes the Worker ask Djomy at once.
  await fetch(`${stack.workerUrl}/return/${created.id}`, { redirect: 'manual' });
  await ledgerReaches(created.id, 'SUCCESS');
  return created;
}

/** Waits for the simulator to hold `status` for our payment. */
export function simReaches(paymentId: string, status: string): Promise<unknown> {
  return waitFor(`${paymentId} to be ${status} at the simulator`, async () => {
    const truth = await simPaymentOf(paymentId);
    return truth.status === status ? truth : undefined;
  });
}

/**
 * The text of the receipt's QR code, decoded from a screenshot of its
 * `<img>`: the PNG is drawn into a canvas in the page (the page's CSP allows
 * `data:` images) and its pixels are handed to jsQR here.
 */
export async function decodeQr(page: Page): Promise<string | null> {
  const png = await page.getByTestId('qr').screenshot();
  // Runs in the page; the Node-side type-check has no DOM types, hence the loose typing.
  const { width, height, data } = await page.evaluate(async (base64) => {
    // biome-ignore lint/suspicious/noExplicitAny: the page's globals, untyped on the Node side.
    const w = globalThis as any;
    const image = new w.Image();
    image.src = `data:image/png;base64,${base64}`;
    await image.decode();
    const canvas = w.document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    context.drawImage(image, 0, 0);
    const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
    return {
      width: pixels.width as number,
      height: pixels.height as number,
      data: Array.from(pixels.data as Uint8ClampedArray),
    };
  }, png.toString('base64'));
  return jsQR(Uint8ClampedArray.from(data), width, height)?.data ?? null;
}

/** Spaces as Intl writes them (narrow and no-break) made plain, for comparing amounts. */
export const plain = (text: string | null) => (text ?? '').replace(/[\u202f\u00a0]/g, ' ').trim();
