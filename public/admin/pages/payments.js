/**
 * Payments (`#/payments?…`): the ledger, newest first, with filters kept in
 * the address (so Today's links and the back button work), a search box,
 * "Plus" by cursor, and a CSV export of every payment the filters match
 * (`GET /api/admin/payments` and `/payments.csv`).
 */
import { ApiError, api, query } from '../lib/api.js';
import { field, h, put, select } from '../lib/dom.js';
import { money, when } from '../lib/format.js';
import { addStrings, label, lang, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader, statusBadge } from '../lib/ui.js';

addStrings({
  fr: {
    'payments.title': 'Paiements',
    'payments.filters': 'Filtres',
    'payments.status': 'Statut',
    'payments.method': 'Moyen',
    'payments.flow': 'Parcours',
    'payments.from': 'Du',
    'payments.to': 'Au',
    'payments.flagged': 'À vérifier seulement',
    'payments.stuck': 'Restés ouverts après expiration',
    'payments.q': 'Rechercher',
    'payments.qHint': 'N° de paiement, référence ou derniers chiffres du téléphone',
    'payments.search': 'Rechercher',
    'payments.reset': 'Effacer les filtres',
    'payments.all': 'Tous',
    'payments.csv': 'Exporter en CSV',
    'payments.count': '{count} paiement(s) affiché(s)',
    'payments.countMore': '{count} paiement(s) affiché(s), d’autres suivent',
    'payments.more': 'Plus',
    'payments.empty': 'Aucun paiement ne correspond.',
    'payments.invalid': 'Filtres refusés par le serveur :',
  },
  en: {
    'payments.title': 'Payments',
    'payments.filters': 'Filters',
    'payments.status': 'Status',
    'payments.method': 'Method',
    'payments.flow': 'Flow',
    'payments.from': 'From',
    'payments.to': 'To',
    'payments.flagged': 'To check only',
    'payments.stuck': 'Still open after expiry',
    'payments.q': 'Search',
    'payments.qHint': 'Payment id, reference or last digits of the phone',
    'payments.search': 'Search',
    'payments.reset': 'Clear filters',
    'payments.all': 'All',
    'payments.csv': 'Export as CSV',
    'payments.count': '{count} payment(s) shown',
    'payments.countMore': '{count} payment(s) shown, more follow',
    'payments.more': 'More',
    'payments.empty': 'No payment matches.',
    'payments.invalid': 'Filters refused by the server:',
  },
});

const STATUSES = [
  'SUCCESS',
  'PENDING',
  'CREATED',
  'REDIRECTED',
  'CAPTURED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'REFUNDED',
];
const METHODS = ['OM', 'MOMO', 'KULU', 'PAYCARD', 'SOUTRA_MONEY', 'YMO', 'CARD'];
const FLOWS = ['gateway', 'direct', 'link', 'external'];
/** The filters the API takes, in the order of the address. */
const KEYS = /** @type {const} */ (['status', 'method', 'flow', 'from', 'to', 'flagged', 'stuck', 'q']);
const PAGE = 50;

/**
 * The page size: 50, or a smaller `limit` from the address (`#/payments?limit=5`, for a slow
 * connection, or to try "Plus" with few payments).
 * @param {string | null} value
 */
function pageSize(value) {
  const n = Number(value);
  return Number.isInteger(n) && n >= 1 && n <= PAGE ? n : PAGE;
}

/**
 * @typedef {{ id: string, status: string, paid: boolean, flow: string, amount: number, currency: string,
 *   paymentMethod: string | null, reference: string | null, payer: string | null, flag: string | null,
 *   createdAt: string, paidAt: string | null }} PaymentLine
 */

/**
 * One payment as a line of the list, leading to its detail.
 * @param {PaymentLine} p
 */
function line(p) {
  return h(
    'li',
    {},
    h(
      'a',
      { class: 'row', href: `#/payments/${p.id}`, 'data-testid': 'payment-row', 'data-id': p.id },
      h('span', { class: 'amount' }, money(p.amount, p.currency)),
      h('span', { class: 'right' }, statusBadge(p.status, Boolean(p.flag))),
      h(
        'span',
        { class: 'meta' },
        [label('method', p.paymentMethod), p.reference, p.payer].filter(Boolean).join(' · '),
      ),
      h('span', { class: 'meta right' }, when(p.createdAt, lang, 'datetime')),
    ),
  );
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  /** @type {Record<string, string>} */
  const filter = {};
  for (const key of KEYS) {
    const value = ctx.query.get(key);
    if (value) filter[key] = value;
  }
  const limit = pageSize(ctx.query.get('limit'));
  const all = t('payments.all');
  const status = select(
    'status',
    [['', all], ...STATUSES.map((s) => /** @type {[string, string]} */ ([s, label('status', s)]))],
    filter.status,
  );
  const method = select(
    'method',
    [['', all], ...METHODS.map((m) => /** @type {[string, string]} */ ([m, label('method', m)]))],
    filter.method,
  );
  const flow = select(
    'flow',
    [['', all], ...FLOWS.map((f) => /** @type {[string, string]} */ ([f, label('flow', f)]))],
    filter.flow,
  );
  const from = h('input', { type: 'date', name: 'from', value: filter.from ?? '' });
  const to = h('input', { type: 'date', name: 'to', value: filter.to ?? '' });
  const flagged = h('input', {
    type: 'checkbox',
    name: 'flagged',
    id: 'f-flagged',
    checked: filter.flagged === 'true',
  });
  const stuck = h('input', {
    type: 'checkbox',
    name: 'stuck',
    id: 'f-stuck',
    checked: filter.stuck === 'true',
  });
  const q = h('input', {
    type: 'search',
    name: 'q',
    value: filter.q ?? '',
    autocomplete: 'off',
    'data-testid': 'payments-q',
  });
  const problems = messageBox('payments-problem');
  const count = h('p', { 'data-testid': 'payments-count', role: 'status' });
  const csv = h(
    'a',
    {
      class: 'button',
      href: `/api/admin/payments.csv${query(filter)}`,
      download: '',
      'data-testid': 'payments-csv',
    },
    t('payments.csv'),
  );
  const rows = h('ul', { class: 'rows', 'data-testid': 'payments-list' });
  const more = h(
    'button',
    { type: 'button', 'data-testid': 'payments-more', hidden: true },
    t('payments.more'),
  );
  const listBox = h('div', { 'aria-busy': 'true' }, loading());

  /** The filters as typed, applied through the address so back and forward work. */
  const apply = () => {
    const next = {
      status: status.value,
      method: method.value,
      flow: flow.value,
      from: from.value,
      to: to.value,
      flagged: flagged.checked ? 'true' : '',
      stuck: stuck.checked ? 'true' : '',
      q: q.value.trim(),
      limit: limit === PAGE ? '' : String(limit),
    };
    const hash = `#/payments${query(next)}`;
    if (location.hash === hash) load(true);
    else ctx.go(hash);
  };
  for (const control of [status, method, flow, from, to, flagged, stuck])
    control.addEventListener('change', apply);

  const form = h(
    'form',
    {
      class: 'filters card',
      'data-testid': 'payments-filters',
      'aria-label': t('payments.filters'),
      onsubmit: (/** @type {SubmitEvent} */ event) => {
        event.preventDefault();
        apply();
      },
    },
    h(
      'div',
      { class: 'field search' },
      h('label', { for: 'f-q' }, t('payments.q')),
      h('span', { class: 'hint', id: 'f-q-hint' }, t('payments.qHint')),
      h(
        'div',
        { class: 'search-row' },
        q,
        h(
          'button',
          { type: 'submit', class: 'primary', 'data-testid': 'payments-search' },
          t('payments.search'),
        ),
      ),
    ),
    field('f-status', t('payments.status'), status),
    field('f-method', t('payments.method'), method),
    field('f-flow', t('payments.flow'), flow),
    field('f-from', t('payments.from'), from),
    field('f-to', t('payments.to'), to),
    h(
      'div',
      { class: 'filter-row' },
      h('label', { class: 'check', for: 'f-flagged' }, flagged, t('payments.flagged')),
      h('label', { class: 'check', for: 'f-stuck' }, stuck, t('payments.stuck')),
      h('a', { class: 'button', href: '#/payments', 'data-testid': 'payments-reset' }, t('payments.reset')),
    ),
  );
  q.id = 'f-q';
  q.setAttribute('aria-describedby', 'f-q-hint');

  put(
    ctx.main,
    pageHeader(t('payments.title')),
    form,
    problems.box,
    h('div', { class: 'list-head' }, count, csv),
    listBox,
  );

  /** @type {string | null} */
  let cursor = null;
  let shown = 0;

  /** @param {boolean} fresh */
  const load = async (fresh) => {
    more.disabled = true;
    try {
      const page = await api(
        `/api/admin/payments${query({ ...filter, limit, cursor: fresh ? null : cursor })}`,
        { signal: ctx.signal },
      );
      problems.clear();
      if (fresh) {
        rows.replaceChildren();
        shown = 0;
      }
      for (const payment of page.payments) rows.append(line(payment));
      shown += page.payments.length;
      cursor = page.nextCursor;
      more.hidden = !cursor;
      count.dataset.count = String(shown);
      count.textContent = t(cursor ? 'payments.countMore' : 'payments.count', { count: shown });
      put(
        listBox,
        shown ? rows : h('p', { class: 'muted', 'data-testid': 'payments-empty' }, t('payments.empty')),
        h('div', { class: 'more' }, more),
      );
      listBox.removeAttribute('aria-busy');
    } catch (error) {
      if (isAbort(error) || ctx.signal.aborted) return;
      if (error instanceof ApiError && error.status === 400)
        problems.show('error', t('payments.invalid'), error.problem.errors ?? []);
      else problems.error(error);
      put(listBox);
      listBox.removeAttribute('aria-busy');
      count.textContent = '';
    } finally {
      more.disabled = false;
    }
  };
  more.addEventListener('click', () => load(false));
  await load(true);
}
