/**
 * Djomy payment links (e.g. a static QR code at a shop counter): creating
 * one, reading one as Djomy sees it now, and the page URL to encode in its
 * QR code. A MULTIPLE link always carries a `usageLimit`: without one Djomy
 * closes it after its first payment (docs/djomy.md#payment-links).
 */
import { DjomyError } from '../djomy/errors.ts';
import type { CreateLinkRequest, DjomyLink, GatewayMethod } from '../djomy/schemas.ts';
import { isSafeBrowserUrl } from '../lib/urls.ts';
import { getLink, saveLink } from '../store/links.ts';
import { djomyOf, type PaymentDeps } from './deps.ts';

/** What Djomy's own Odoo plugin uses for an "unlimited" static shop QR (docs/djomy.md#payment-links). */
export const UNLIMITED_USES = 100_000;

export interface CreateLinkCommand {
  usageType: 'UNIQUE' | 'MULTIPLE';
  usageLimit?: number;
  amount?: number;
  countryCode: string;
  linkName?: string;
  description?: string;
  merchantReference?: string;
  /** Already normalised (`00224…`). */
  phoneNumber?: string;
  sendSms?: boolean;
  expiresAt?: string;
  allowedPaymentMethods?: GatewayMethod[];
  returnUrl?: string;
}

export type LinkOutcome =
  | { kind: 'created'; link: DjomyLink }
  | { kind: 'refused'; message: string }
  /** Djomy gave a page URL no browser should be sent to. */
  | { kind: 'bad_answer' }
  | { kind: 'failed'; error: DjomyError };

/**
 * Asks Djomy to create the link and keeps it in the ledger (its payments are
 * then tied to it). Never re-sent on a lost answer: a second link costs
 * nothing, but it is the operator's choice.
 *
 * @example const outcome = await createPaymentLink(deps, { usageType: 'MULTIPLE', countryCode: 'GN' })
 */
export async function createPaymentLink(deps: PaymentDeps, command: CreateLinkCommand): Promise<LinkOutcome> {
  const request: CreateLinkRequest = {
    countryCode: command.countryCode,
    usageType: command.usageType,
    ...(command.usageType === 'MULTIPLE' ? { usageLimit: command.usageLimit ?? UNLIMITED_USES } : {}),
    ...(command.amount !== undefined ? { amountToPay: command.amount } : {}),
    ...(command.linkName ? { linkName: command.linkName } : {}),
    ...(command.description ? { description: command.description } : {}),
    ...(command.merchantReference ? { merchantReference: command.merchantReference } : {}),
    ...(command.phoneNumber ? { phoneNumber: command.phoneNumber, sendSms: command.sendSms ?? false } : {}),
    ...(command.expiresAt ? { expiresAt: `${new Date(command.expiresAt).toISOString().slice(0, 19)}Z` } : {}),
    ...(command.allowedPaymentMethods ? { allowedPaymentMethods: command.allowedPaymentMethods } : {}),
    ...(command.returnUrl ? { returnUrl: command.returnUrl, cancelUrl: command.returnUrl } : {}),
  };
  let link: DjomyLink;
  try {
    link = await djomyOf(deps).createLink(request);
  } catch (error) {
    if (!(error instanceof DjomyError)) throw error;
    if (error.kind === 'refused')
      return { kind: 'refused', message: error.detail ?? 'Djomy refused the link' };
    return { kind: 'failed', error };
  }
  if (!isSafeBrowserUrl(link.pageUrl)) {
    deps.log.error('Djomy answered a link with an unusable page URL', { reference: link.reference });
    return { kind: 'bad_answer' };
  }
  await saveLink(
    deps.db,
    link,
    { countryCode: command.countryCode, allowedMethods: command.allowedPaymentMethods },
    deps.now(),
  );
  return { kind: 'created', link };
}

/**
 * The link as Djomy sees it now (its status, uses and payments); refreshes
 * the ledger's copy when the link is ours. Null when Djomy does not know it.
 */
export async function readPaymentLink(deps: PaymentDeps, reference: string): Promise<DjomyLink | null> {
  let link: DjomyLink;
  try {
    link = await djomyOf(deps).getLink(reference);
  } catch (error) {
    if (error instanceof DjomyError && error.kind === 'not_found') return null;
    throw error;
  }
  if (await getLink(deps.db, link.reference)) {
    await saveLink(deps.db, link, { countryCode: deps.config.defaultCountry }, deps.now());
  }
  return link;
}

/** The page a link's QR code opens: from the ledger, else from Djomy. Null when unknown or unsafe. */
export async function linkPageUrl(deps: PaymentDeps, reference: string): Promise<string | null> {
  const stored = await getLink(deps.db, reference);
  const url = stored?.pageUrl ?? (deps.djomy ? (await readPaymentLink(deps, reference))?.pageUrl : null);
  return url && isSafeBrowserUrl(url) ? url : null;
}
