/**
 * `POST /checkout`: the no-JavaScript buy button. A plain HTML form
 * from an allowed site starts a gateway payment and the payer is sent
 * straight to Djomy's portal. Errors go back to the site's `cancelUrl` with an
 * `error` code, or to a small HTML page when there is no usable `cancelUrl`.
 */
import * as z from 'zod/mini';
import { DjomyError } from '../../djomy/errors.ts';
import { COUNTRIES, normalizePhone } from '../../djomy/phone.ts';
import { isSafeBrowserUrl, originOf } from '../../lib/urls.ts';
import { type CreateOutcome, createPayment } from '../../payments/create-payment.ts';
import { readBodyLimited } from '../body.ts';
import { type AppContext, publicOrigin } from '../context.ts';
import { isAllowedOrigin, originRefused } from '../origins.ts';
import { errorPage, htmlPage } from '../pages.ts';
import { browserRouter } from '../routers.ts';
import type { RouteSpec } from '../spec.ts';

export const CheckoutForm = z.object({
  sku: z.string().check(z.regex(/^[A-Za-z0-9][\w.-]{0,63}$/)),
  quantity: z
    ._default(z.pipe(z.string().check(z.regex(/^\d{1,4}$/)), z.transform(Number)), 1)
    .check(z.refine((n) => n >= 1 && n <= 1000, 'between 1 and 1000')),
  phone: z.string().check(z.minLength(6), z.maxLength(32)),
  countryCode: z.optional(z.enum(COUNTRIES)),
  reference: z.optional(z.string().check(z.minLength(1), z.maxLength(100))),
  successUrl: z.optional(z.url({ protocol: /^https?$/ })),
  cancelUrl: z.optional(z.url({ protocol: /^https?$/ })),
});

type ErrorCode =
  | 'invalid_form'
  | 'invalid_product'
  | 'invalid_phone'
  | 'invalid_redirect'
  | 'payment_refused'
  | 'payment_unavailable'
  | 'not_configured';

/** French, then English. */
const MESSAGES: Record<ErrorCode, readonly [string, string]> = {
  invalid_form: ['Le formulaire est incomplet.', 'The form is incomplete.'],
  invalid_product: ['Ce produit est introuvable.', 'This product is not available.'],
  invalid_phone: ['Ce numéro de téléphone est invalide.', 'This phone number is invalid.'],
  invalid_redirect: ["L'adresse de retour n'est pas autorisée.", 'The return address is not allowed.'],
  payment_refused: ['Djomy a refusé le paiement.', 'Djomy refused the payment.'],
  payment_unavailable: ['Djomy est indisponible, réessayez.', 'Djomy is unavailable, please retry.'],
  not_configured: ["Le paiement n'est pas configuré.", 'Payments are not configured.'],
};

function isAllowed(c: AppContext, url: string | undefined): url is string {
  return url !== undefined && isAllowedOrigin(c, url);
}

async function checkoutFormRoute(c: AppContext) {
  // `null` is what a browser sends after some redirects or from a sandboxed page: treated as absent.
  const origin = c.req.header('origin');
  if (origin && origin !== 'null' && (originOf(origin) !== origin || !isAllowed(c, origin))) {
    throw originRefused(origin);
  }
  const type = c.req.header('content-type') ?? '';
  const raw = await readBodyLimited(c.req.raw, 8 * 1024);
  const fields = type.startsWith('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(new TextDecoder().decode(raw)))
    : {};
  const cancelCandidate =
    typeof fields.cancelUrl === 'string' && originOf(fields.cancelUrl) ? fields.cancelUrl : undefined;
  const cancelUrl = isAllowed(c, cancelCandidate) ? cancelCandidate : undefined;
  const fail = (code: ErrorCode) => {
    if (!cancelUrl)
      return htmlPage(
        c,
        errorPage('Paiement impossible', MESSAGES[code]),
        code.startsWith('payment') ? 502 : 400,
      );
    const target = new URL(cancelUrl);
    target.searchParams.set('error', code);
    return c.redirect(target.href, 303);
  };

  const form = CheckoutForm.safeParse(fields);
  if (!form.success) {
    const field = form.error.issues[0]?.path[0];
    return fail(
      field === 'sku' || field === 'quantity'
        ? 'invalid_product'
        : field === 'phone'
          ? 'invalid_phone'
          : 'invalid_form',
    );
  }
  const { deps } = c.var;
  if ((form.data.successUrl && !isAllowed(c, form.data.successUrl)) || (form.data.cancelUrl && !cancelUrl)) {
    return fail('invalid_redirect');
  }
  const countryCode = form.data.countryCode ?? deps.config.defaultCountry;
  const phone = normalizePhone(form.data.phone, countryCode);
  if (!phone.ok) return fail('invalid_phone');

  let outcome: CreateOutcome;
  try {
    outcome = await createPayment(deps, {
      flow: 'gateway',
      items: [{ sku: form.data.sku, quantity: form.data.quantity }],
      countryCode,
      phone: phone.phone,
      reference: form.data.reference,
      successUrl: form.data.successUrl,
      cancelUrl,
      publicUrl: publicOrigin(c),
    });
  } catch (error) {
    if (error instanceof DjomyError && error.kind === 'not_configured') return fail('not_configured');
    throw error;
  }
  const next = outcome.kind === 'created' ? outcome.payment.nextUrl : null;
  if (next && isSafeBrowserUrl(next)) return c.redirect(next, 303);
  if (outcome.kind === 'invalid') return fail('invalid_product');
  if (outcome.kind === 'refused') return fail('payment_refused');
  return fail('payment_unavailable');
}

export const checkoutForm = browserRouter().post('/', checkoutFormRoute);

export const checkoutFormSpecs = (): RouteSpec[] => [
  {
    method: 'post',
    path: '/checkout',
    tag: 'Browser',
    summary: 'No-JavaScript buy button: an HTML form starts a gateway payment',
    description:
      '303 to Djomy’s portal; on bad input 303 to `cancelUrl?error=<code>` (codes: invalid_form, invalid_product, ' +
      'invalid_phone, invalid_redirect, payment_refused, payment_unavailable, not_configured), or an HTML error page.',
    body: { schema: CheckoutForm, contentType: 'application/x-www-form-urlencoded' },
    responses: {
      303: { description: "To Djomy's portal, or back to cancelUrl with an error code" },
      400: { description: 'HTML error page (no usable cancelUrl)', contentType: 'text/html' },
      403: { description: 'Origin not allowed' },
    },
  },
];
