/**
 * Payment links (`#/links`): the links this Worker created with their uses
 * and totals, each with its printable counter poster; the merchant creates
 * new ones (`GET`/`POST /api/admin/links`). The cashier only reads.
 */
import { ApiError, api } from '../lib/api.js';
import { field, h, put } from '../lib/dom.js';
import { integer, money, when } from '../lib/format.js';
import { addStrings, label, lang, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader } from '../lib/ui.js';

addStrings({
  fr: {
    'links.title': 'Liens de paiement',
    'links.create': 'Créer un lien',
    'links.usage': 'Utilisation',
    'links.UNIQUE': 'Unique (une seule fois)',
    'links.MULTIPLE': 'Multiple (affiche de comptoir)',
    'links.amount': 'Montant (GNF)',
    'links.amountHint': 'Laissez vide pour un montant libre, choisi par le client',
    'links.name': 'Nom du lien',
    'links.nameHint': 'Affiché au client et sur l’affiche, par exemple « Comptoir »',
    'links.description': 'Description',
    'links.merchantReference': 'Votre référence',
    'links.methods': 'Moyens acceptés',
    'links.methodsHint': 'Aucun coché : tous les moyens proposés par Djomy',
    'links.phone': 'Téléphone du client',
    'links.sendSms': 'Envoyer le lien par SMS',
    'links.expires': 'Expire le',
    'links.submit': 'Créer le lien',
    'links.creating': 'Création du lien chez Djomy…',
    'links.created': 'Lien {reference} créé.',
    'links.invalid': 'Le lien a été refusé :',
    'links.list': 'Vos liens',
    'links.empty': 'Aucun lien pour l’instant.',
    'links.uses': '{count} paiement(s) · {amount}',
    'links.poster': 'Affiche à imprimer',
    'links.open': 'Ouvrir la page de paiement',
    'links.created_at': 'Créé le {date}',
    'links.allMethods': 'Tous les moyens',
    'links.kind.UNIQUE': 'un seul paiement',
    'links.kind.MULTIPLE': 'plusieurs paiements',
    'links.status.ACTIVE': 'actif',
    'links.status.PAID': 'payé',
    'links.status.EXPIRED': 'expiré',
  },
  en: {
    'links.title': 'Payment links',
    'links.create': 'Create a link',
    'links.usage': 'Use',
    'links.UNIQUE': 'Single (once)',
    'links.MULTIPLE': 'Multiple (counter poster)',
    'links.amount': 'Amount (GNF)',
    'links.amountHint': 'Leave empty to let the customer choose the amount',
    'links.name': 'Link name',
    'links.nameHint': 'Shown to the customer and on the poster, e.g. “Counter”',
    'links.description': 'Description',
    'links.merchantReference': 'Your reference',
    'links.methods': 'Accepted methods',
    'links.methodsHint': 'None ticked: every method Djomy offers',
    'links.phone': 'Customer phone',
    'links.sendSms': 'Send the link by SMS',
    'links.expires': 'Expires',
    'links.submit': 'Create the link',
    'links.creating': 'Creating the link at Djomy…',
    'links.created': 'Link {reference} created.',
    'links.invalid': 'The link was refused:',
    'links.list': 'Your links',
    'links.empty': 'No link yet.',
    'links.uses': '{count} payment(s) · {amount}',
    'links.poster': 'Printable poster',
    'links.open': 'Open the payment page',
    'links.created_at': 'Created {date}',
    'links.allMethods': 'Every method',
    'links.kind.UNIQUE': 'single payment',
    'links.kind.MULTIPLE': 'many payments',
    'links.status.ACTIVE': 'active',
    'links.status.PAID': 'paid',
    'links.status.EXPIRED': 'expired',
  },
});

/** Djomy takes the country's currency (CURRENCY_BY_COUNTRY of src/djomy/currency.ts). */
const CURRENCY = /** @type {Record<string, string>} */ ({ GN: 'GNF', SL: 'SLE', LR: 'USD' });

/**
 * The currency of a link's amounts.
 * @param {{ countryCode: string }} link
 */
export function linkCurrency(link) {
  return CURRENCY[link.countryCode] ?? 'GNF';
}

/** The wallets Djomy's hosted page can be limited to (GATEWAY_METHODS of src/djomy/schemas.ts). */
export const LINK_METHODS = ['OM', 'MOMO', 'SOUTRA_MONEY', 'PAYCARD', 'CARD'];

/**
 * @typedef {{ reference: string, usageType: 'UNIQUE' | 'MULTIPLE', usageLimit: number | null,
 *   amount: number | null, countryCode: string, linkName: string | null, merchantReference: string | null,
 *   pageUrl: string, allowedMethods: string[] | null, status: string, createdAt: string, uses: number,
 *   paidAmount: number }} Link
 */

/** @param {Link} link */
function card(link) {
  return h(
    'li',
    { class: 'card', 'data-testid': 'link-card', 'data-reference': link.reference },
    h('p', { class: 'title' }, link.linkName ?? link.reference),
    h(
      'p',
      { class: 'amount' },
      link.amount === null ? t('common.freeAmount') : money(link.amount, linkCurrency(link)),
    ),
    h(
      'p',
      { class: 'muted' },
      `${link.reference} · ${label('links.kind', link.usageType)} · ${label('links.status', link.status)}`,
    ),
    h(
      'p',
      {},
      t('links.uses', { count: integer(link.uses), amount: money(link.paidAmount, linkCurrency(link)) }),
    ),
    h(
      'p',
      { class: 'muted' },
      link.allowedMethods
        ? link.allowedMethods.map((m) => label('method', m)).join(', ')
        : t('links.allMethods'),
    ),
    h('p', { class: 'muted' }, t('links.created_at', { date: when(link.createdAt, lang) })),
    h(
      'div',
      { class: 'actions' },
      h(
        'a',
        {
          class: 'button primary',
          href: `#/links/${encodeURIComponent(link.reference)}/poster`,
          'data-testid': 'link-poster',
        },
        t('links.poster'),
      ),
      h('a', { class: 'button', href: link.pageUrl, target: '_blank', rel: 'noopener' }, t('links.open')),
    ),
  );
}

/**
 * The creation form (merchant only).
 * @param {import('../lib/ui.js').PageContext} ctx
 * @param {() => Promise<void>} reload
 */
function createForm(ctx, reload) {
  const message = messageBox('link-message');
  const usage = ['MULTIPLE', 'UNIQUE'].map((value) =>
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'radio',
        name: 'usageType',
        value,
        checked: value === 'MULTIPLE',
        'data-testid': `link-usage-${value}`,
      }),
      t(`links.${value}`),
    ),
  );
  const amount = h('input', {
    type: 'number',
    name: 'amount',
    min: '1',
    step: '1',
    inputmode: 'numeric',
    'data-testid': 'link-amount',
  });
  const name = h('input', { type: 'text', name: 'linkName', maxlength: '100', 'data-testid': 'link-name' });
  const description = h('input', { type: 'text', name: 'description', maxlength: '255' });
  const reference = h('input', { type: 'text', name: 'merchantReference', maxlength: '100' });
  const methods = LINK_METHODS.map((method) =>
    h(
      'label',
      { class: 'check' },
      h('input', {
        type: 'checkbox',
        name: 'methods',
        value: method,
        'data-testid': `link-method-${method}`,
      }),
      label('method', method),
    ),
  );
  const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'off', inputmode: 'tel' });
  const sendSms = h('input', { type: 'checkbox', name: 'sendSms', id: 'l-sms' });
  const expires = h('input', { type: 'datetime-local', name: 'expiresAt' });
  const submit = h(
    'button',
    { type: 'submit', class: 'primary', 'data-testid': 'link-submit' },
    t('links.submit'),
  );

  /** @param {SubmitEvent} event */
  const onSubmit = async (event) => {
    event.preventDefault();
    const form = /** @type {HTMLFormElement} */ (event.currentTarget);
    const data = new FormData(form);
    /** @type {Record<string, unknown>} */
    const body = { usageType: data.get('usageType') };
    if (amount.value) body.amount = Number(amount.value);
    for (const [key, input] of /** @type {[string, HTMLInputElement][]} */ ([
      ['linkName', name],
      ['description', description],
      ['merchantReference', reference],
      ['phone', phone],
    ])) {
      if (input.value.trim()) body[key] = input.value.trim();
    }
    const chosen = data.getAll('methods').map(String);
    if (chosen.length) body.allowedPaymentMethods = chosen;
    if (sendSms.checked) body.sendSms = true;
    // datetime-local is the shop's own time, which is Guinea's (UTC).
    if (expires.value) body.expiresAt = new Date(`${expires.value}:00Z`).toISOString();
    submit.disabled = true;
    message.show('info', t('links.creating'));
    try {
      const link = await api('/api/admin/links', { method: 'POST', body, signal: ctx.signal });
      form.reset();
      message.show('ok', t('links.created', { reference: link.reference }));
      await reload();
    } catch (error) {
      if (isAbort(error) || ctx.signal.aborted) return;
      if (error instanceof ApiError && error.status === 400)
        message.show('error', t('links.invalid'), error.problem.errors ?? []);
      else message.error(error);
    } finally {
      submit.disabled = false;
    }
  };

  return h(
    'details',
    { class: 'create card', 'data-testid': 'link-create' },
    h('summary', { 'data-testid': 'link-create-toggle' }, t('links.create')),
    h(
      'form',
      { class: 'grid-form', onsubmit: onSubmit, 'data-testid': 'link-form' },
      h(
        'fieldset',
        { class: 'wide' },
        h('legend', {}, t('links.usage')),
        h('div', { class: 'checks' }, usage),
      ),
      field('l-amount', t('links.amount'), amount, t('links.amountHint')),
      field('l-name', t('links.name'), name, t('links.nameHint')),
      field('l-description', t('links.description'), description),
      field('l-reference', t('links.merchantReference'), reference),
      h(
        'fieldset',
        { class: 'wide', 'aria-describedby': 'l-methods-hint' },
        h('legend', {}, t('links.methods')),
        h('p', { class: 'hint', id: 'l-methods-hint' }, t('links.methodsHint')),
        h('div', { class: 'checks' }, methods),
      ),
      field('l-phone', t('links.phone'), phone),
      h('label', { class: 'check', for: 'l-sms' }, sendSms, t('links.sendSms')),
      field('l-expires', t('links.expires'), expires),
      h('div', { class: 'actions wide' }, submit),
      h('div', { class: 'wide' }, message.box),
    ),
  );
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const list = h('div', { 'aria-busy': 'true' }, loading());
  const problem = messageBox('links-problem');
  const reload = async () => {
    try {
      /** @type {{ links: Link[] }} */
      const { links } = await api('/api/admin/links', { signal: ctx.signal });
      problem.clear();
      put(
        list,
        links.length
          ? h('ul', { class: 'cards', 'data-testid': 'links-list' }, links.map(card))
          : h('p', { class: 'muted', 'data-testid': 'links-empty' }, t('links.empty')),
      );
    } catch (error) {
      if (isAbort(error) || ctx.signal.aborted) return;
      problem.error(error);
      put(list);
    }
    list.removeAttribute('aria-busy');
  };
  put(
    ctx.main,
    pageHeader(t('links.title')),
    ctx.role === 'admin' ? createForm(ctx, reload) : null,
    h('h2', {}, t('links.list')),
    problem.box,
    list,
  );
  await reload();
}
