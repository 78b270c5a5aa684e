/**
 * A link's counter poster (`#/links/<reference>/poster`), to print on A5 and
 * stand by the till: the QR code of the link's payment page, large, the
 * amount or "Montant libre", the link's name, the wallets it accepts and
 * how to pay. Printing hides the console around it (admin.css, @media print).
 *
 * The poster is always in French: customers at a Guinean counter read French.
 */
import { api } from '../lib/api.js';
import { h, put } from '../lib/dom.js';
import { money } from '../lib/format.js';
import { addStrings, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader } from '../lib/ui.js';
import { LINK_METHODS, linkCurrency } from './links.js';

addStrings({
  fr: {
    'poster.title': 'Affiche de comptoir',
    'poster.back': '← Tous les liens',
    'poster.print': 'Imprimer',
    'poster.hint': 'Format A5 portrait. L’impression ne garde que l’affiche.',
    'poster.notFound': 'Ce lien n’existe pas.',
  },
  en: {
    'poster.title': 'Counter poster',
    'poster.back': '← All links',
    'poster.print': 'Print',
    'poster.hint': 'A5 portrait. Printing keeps only the poster.',
    'poster.notFound': 'This link does not exist.',
  },
});

/** Wallet names as customers know them, in French whatever the console's language. */
const WALLETS = /** @type {Record<string, string>} */ ({
  OM: 'Orange Money',
  MOMO: 'MTN MoMo',
  SOUTRA_MONEY: 'Soutra Money',
  PAYCARD: 'PayCard',
  CARD: 'Carte bancaire',
});

/** @param {import('./links.js').Link} link */
function poster(link) {
  const wallets = link.allowedMethods ?? LINK_METHODS;
  const name = link.linkName ?? 'Paiement Djomy';
  return h(
    'article',
    { class: 'poster', lang: 'fr', 'data-testid': 'poster', 'aria-label': `Affiche : ${name}` },
    h('p', { class: 'shop', 'data-testid': 'poster-name' }, name),
    h(
      'p',
      { class: 'poster-amount', 'data-testid': 'poster-amount' },
      link.amount === null ? 'Montant libre' : money(link.amount, linkCurrency(link)),
    ),
    h('img', {
      class: 'qr',
      src: `/api/admin/links/${encodeURIComponent(link.reference)}/qr.svg`,
      alt: `Code QR de la page de paiement « ${name} »`,
      width: '400',
      height: '400',
      'data-testid': 'poster-qr',
    }),
    h('p', { class: 'scan' }, 'Scannez pour payer'),
    h('p', {}, 'Ouvrez l’appareil photo de votre téléphone, visez le code, puis payez avec :'),
    h(
      'ul',
      { class: 'wallets', 'data-testid': 'poster-wallets' },
      wallets.map((m) => h('li', {}, WALLETS[m] ?? m)),
    ),
    h('p', { class: 'small' }, link.pageUrl),
  );
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const reference = /** @type {string} */ (ctx.params[0]);
  const message = messageBox('poster-message');
  const print = h(
    'button',
    {
      type: 'button',
      class: 'primary',
      'data-testid': 'poster-print',
      onclick: () => window.print(),
      disabled: true,
    },
    t('poster.print'),
  );
  const body = h('div', { 'aria-busy': 'true' }, loading());
  put(
    ctx.main,
    h(
      'div',
      { class: 'no-print' },
      h('p', {}, h('a', { href: '#/links' }, t('poster.back'))),
      pageHeader(t('poster.title')),
      h('p', { class: 'hint' }, t('poster.hint')),
      h('div', { class: 'actions' }, print),
      message.box,
    ),
    body,
  );
  try {
    /** @type {{ links: import('./links.js').Link[] }} */
    const { links } = await api('/api/admin/links', { signal: ctx.signal });
    const link = links.find((l) => l.reference === reference);
    if (!link) {
      put(body, h('p', { class: 'message error', role: 'alert' }, t('poster.notFound')));
    } else {
      put(body, poster(link));
      print.disabled = false;
    }
  } catch (error) {
    if (isAbort(error) || ctx.signal.aborted) return;
    message.error(error);
    put(body);
  }
  body.removeAttribute('aria-busy');
}
