/**
 * Today (`#/today`): what was paid today, over 7 and 30 days, a 30-day
 * revenue chart, and what needs a human — refreshed every 15 seconds in
 * place, without a reload (`GET /api/admin/summary?days=30`).
 */
import { api } from '../lib/api.js';
import { h, put, svg } from '../lib/dom.js';
import { dayBefore, integer, money, totalsSince, when } from '../lib/format.js';
import { addStrings, lang, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader, poll } from '../lib/ui.js';

addStrings({
  fr: {
    'today.title': 'Aujourd’hui',
    'today.today': 'Payé aujourd’hui',
    'today.week': '7 derniers jours',
    'today.month': '30 derniers jours',
    'today.count': '{count} paiement(s)',
    'today.chart': 'Recettes des 30 derniers jours',
    'today.chartDesc': '{total} sur 30 jours ; meilleur jour : {best} ({amount}).',
    'today.chartEmpty': 'Aucun paiement reçu sur 30 jours.',
    'today.chartTable': 'Recettes par jour',
    'today.day': 'Jour',
    'today.amount': 'Montant',
    'today.attention': 'À surveiller',
    'today.flagged': 'Paiements à vérifier',
    'today.duplicateCharges': 'Doubles débits à rembourser',
    'today.deadLetters': 'Tâches abandonnées (30 jours)',
    'today.stuckOpen': 'Paiements restés ouverts après expiration',
    'today.allClear': 'Rien à signaler.',
  },
  en: {
    'today.title': 'Today',
    'today.today': 'Paid today',
    'today.week': 'Last 7 days',
    'today.month': 'Last 30 days',
    'today.count': '{count} payment(s)',
    'today.chart': 'Revenue over the last 30 days',
    'today.chartDesc': '{total} over 30 days; best day: {best} ({amount}).',
    'today.chartEmpty': 'No payment received in 30 days.',
    'today.chartTable': 'Revenue per day',
    'today.day': 'Day',
    'today.amount': 'Amount',
    'today.attention': 'Needs attention',
    'today.flagged': 'Payments to check',
    'today.duplicateCharges': 'Duplicate charges to refund',
    'today.deadLetters': 'Abandoned jobs (30 days)',
    'today.stuckOpen': 'Payments still open after expiry',
    'today.allClear': 'Nothing to report.',
  },
});

/**
 * @typedef {import('../lib/format.js').DayRevenue} DayRevenue
 * @typedef {{ from: string, to: string, days: DayRevenue[],
 *   attention: { flagged: number, duplicateCharges: number, deadLetters: number, stuckOpen: number } }} Summary
 */

/**
 * Where each needs-attention count leads: the payments it counts, or the
 * health page for jobs (they are not payments).
 * @type {[keyof Summary['attention'], string][]}
 */
const ATTENTION = [
  ['flagged', '#/payments?flagged=true'],
  ['duplicateCharges', '#/payments?flagged=true'],
  ['stuckOpen', '#/payments?stuck=true'],
  ['deadLetters', '#/health'],
];

/**
 * @param {string} titleKey
 * @param {string} testid
 * @param {import('../lib/format.js').Total[]} totals
 */
function stat(titleKey, testid, totals) {
  const shown = totals.length ? totals : [{ currency: 'GNF', count: 0, amount: 0 }];
  return h(
    'section',
    { class: 'card stat', 'data-testid': testid },
    h('h2', {}, t(titleKey)),
    shown.map((total) => [
      h('p', { class: 'amount', 'data-testid': `${testid}-amount` }, money(total.amount, total.currency)),
      h(
        'p',
        { 'data-testid': `${testid}-count`, 'data-count': total.count },
        t('today.count', { count: total.count }),
      ),
    ]),
  );
}

/**
 * Bars per day for one currency, drawn with the DOM; the same figures as a
 * table for screen readers.
 * @param {Summary} summary
 * @param {string} currency
 */
function chart(summary, currency) {
  const days = Array.from({ length: 30 }, (_, i) => dayBefore(summary.to, 29 - i));
  const byDay = new Map(summary.days.filter((d) => d.currency === currency).map((d) => [d.day, d]));
  const amounts = days.map((day) => byDay.get(day)?.paidAmount ?? 0);
  const max = Math.max(...amounts, 1);
  const total = amounts.reduce((a, b) => a + b, 0);
  const bestIndex = amounts.indexOf(Math.max(...amounts));
  const width = 300;
  const height = 88;
  const plot = 88;
  const step = width / days.length;
  const desc = total
    ? t('today.chartDesc', {
        total: money(total, currency),
        best: when(days[bestIndex], lang, 'short'),
        amount: money(amounts[bestIndex] ?? 0, currency),
      })
    : t('today.chartEmpty');
  const graphic = svg(
    'svg',
    {
      class: 'chart',
      viewBox: `0 0 ${width} ${height}`,
      // Bars may stretch to any width; the height stays readable on a phone and a desktop.
      preserveAspectRatio: 'none',
      role: 'img',
      'aria-labelledby': 'chart-title chart-desc',
      'data-testid': 'revenue-chart',
    },
    svg('title', { id: 'chart-title' }, `${t('today.chart')} (${currency})`),
    svg('desc', { id: 'chart-desc' }, desc),
    amounts.map((amount, i) => {
      const barHeight = amount ? Math.max(1.5, (amount / max) * (plot - 4)) : 0;
      return svg('rect', {
        class: i === days.length - 1 ? 'bar-today' : 'bar-day',
        x: (i * step + step * 0.15).toFixed(2),
        y: (plot - barHeight).toFixed(2),
        width: (step * 0.7).toFixed(2),
        height: barHeight.toFixed(2),
        'data-day': days[i],
        'data-amount': amount,
      });
    }),
    svg('line', {
      class: 'axis',
      x1: 0,
      x2: width,
      y1: plot - 0.25,
      y2: plot - 0.25,
      'vector-effect': 'non-scaling-stroke',
    }),
  );
  // Day marks in HTML, not in the SVG: text scaled down with a phone-wide chart would be unreadable.
  const marks = h(
    'p',
    { class: 'chart-days', 'aria-hidden': 'true' },
    [0, 14, 29].map((i) => h('span', {}, when(days[i], lang, 'short'))),
  );
  // Wrapped: a table box ignores the 1 px size and overflow that hide it.
  const table = h(
    'div',
    { class: 'sr-only' },
    h(
      'table',
      { 'data-testid': 'revenue-table' },
      h('caption', {}, `${t('today.chartTable')} (${currency})`),
      h(
        'thead',
        {},
        h('tr', {}, h('th', { scope: 'col' }, t('today.day')), h('th', { scope: 'col' }, t('today.amount'))),
      ),
      h(
        'tbody',
        {},
        days.map((day, i) =>
          h(
            'tr',
            {},
            h('th', { scope: 'row' }, when(day, lang, 'day')),
            h('td', {}, money(amounts[i] ?? 0, currency)),
          ),
        ),
      ),
    ),
  );
  return [graphic, marks, table];
}

/** @param {Summary['attention']} attention */
function attentionList(attention) {
  const any = ATTENTION.some(([key]) => attention[key] > 0);
  return [
    any ? null : h('p', { class: 'muted' }, t('today.allClear')),
    h(
      'ul',
      { class: 'attention', 'data-testid': 'attention' },
      ATTENTION.map(([key, href]) =>
        h(
          'li',
          {},
          h(
            'a',
            { href, class: attention[key] > 0 ? 'alert' : '', 'data-testid': `attention-${key}` },
            h('span', {}, t(`today.${key}`)),
            h('span', { class: 'count' }, integer(attention[key])),
          ),
        ),
      ),
    ),
  ];
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const updated = h('p', { class: 'muted', 'data-testid': 'today-updated' });
  const stats = h('div', { class: 'stats', 'data-testid': 'today-stats' }, loading());
  const chartBox = h('div', { class: 'card chart-box' });
  const attentionBox = h('div', {});
  const message = messageBox('today-message');
  put(
    ctx.main,
    pageHeader(t('today.title'), updated),
    message.box,
    stats,
    h('h2', {}, t('today.chart')),
    chartBox,
    h('h2', {}, t('today.attention')),
    attentionBox,
  );

  const refresh = async () => {
    try {
      /** @type {Summary} */
      const summary = await api('/api/admin/summary?days=30', { signal: ctx.signal });
      message.clear();
      put(
        stats,
        stat('today.today', 'paid-today', totalsSince(summary.days, summary.to)),
        stat('today.week', 'paid-week', totalsSince(summary.days, dayBefore(summary.to, 6))),
        stat('today.month', 'paid-month', totalsSince(summary.days, summary.from)),
      );
      const currency = totalsSince(summary.days, summary.from)[0]?.currency ?? 'GNF';
      put(chartBox, chart(summary, currency));
      put(attentionBox, attentionList(summary.attention));
      updated.textContent = t('common.updated', { time: when(Date.now(), lang, 'time') });
    } catch (error) {
      if (!isAbort(error) && !ctx.signal.aborted) message.error(error);
    }
  };
  poll(ctx.signal, refresh, 15_000);
}
