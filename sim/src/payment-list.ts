/**
 * `GET /v1/payments` (docs/djomy.md#lists): the merchant's payments filtered by
 * `statuses` (default SUCCESS,PENDING) and a `YYYY-MM-DD` period (both dates
 * or neither; default the current month), sorted and paged.
 */
import type { Context } from 'hono';
import { PAYMENT_STATUSES } from './domain.ts';
import type { SimHono } from './env.ts';
import { ok } from './envelope.ts';
import { refreshPayment } from './lifecycle.ts';
import { pageOf, readPageRequest } from './paging.ts';
import { allPayments, type Payment } from './store.ts';
import { BodyReader } from './validation.ts';
import { statusView } from './views.ts';

const SORTABLE = {
  createdAt: (p: Payment) => p.createdAt,
  paidAmount: (p: Payment) => p.paidAmount,
  status: (p: Payment) => p.status,
} as const;

function isDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && new Date(`${text}T00:00:00Z`).toISOString().startsWith(text);
}

function currentMonth(): { startDate: string; endDate: string } {
  const now = new Date();
  const first = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const last = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0));
  return { startDate: first.toISOString().slice(0, 10), endDate: last.toISOString().slice(0, 10) };
}

interface ListFilter {
  statuses: Set<string>;
  startDate: string;
  endDate: string;
  sortBy: keyof typeof SORTABLE;
  descending: boolean;
}

function readFilter(query: URLSearchParams, reader: BodyReader): ListFilter {
  const statusText = query.getAll('statuses').join(',') || 'SUCCESS,PENDING';
  const statuses = new Set(
    statusText
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  if ([...statuses].some((s) => !(PAYMENT_STATUSES as readonly string[]).includes(s))) {
    reader.invalid('statuses', `statuses accepte ${PAYMENT_STATUSES.join(', ')}.`);
  }
  // Djomy refuses a half-filled period.
  const start = query.get('startDate');
  const end = query.get('endDate');
  if ((start === null) !== (end === null)) {
    reader.invalid(
      start === null ? 'startDate' : 'endDate',
      'Donnez startDate et endDate, ou aucune des deux.',
    );
  } else if (start !== null && end !== null && (!isDate(start) || !isDate(end) || start > end)) {
    reader.invalid('startDate', 'La période doit être startDate ≤ endDate, au format AAAA-MM-JJ.');
  }
  const sortBy = query.get('sortBy') ?? 'createdAt';
  if (!Object.hasOwn(SORTABLE, sortBy)) {
    reader.invalid('sortBy', `sortBy accepte ${Object.keys(SORTABLE).join(', ')}.`);
  }
  const direction = (query.get('sortDirection') ?? 'desc').toLowerCase();
  if (direction !== 'asc' && direction !== 'desc')
    reader.invalid('sortDirection', 'sortDirection vaut asc ou desc.');
  const period = start !== null && end !== null ? { startDate: start, endDate: end } : currentMonth();
  return { statuses, ...period, sortBy: sortBy as ListFilter['sortBy'], descending: direction !== 'asc' };
}

function compare(filter: ListFilter) {
  const key = SORTABLE[filter.sortBy] ?? SORTABLE.createdAt;
  return (a: Payment, b: Payment) => {
    const order = key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0;
    return filter.descending ? -order : order;
  };
}

export function listPayments(c: Context<SimHono>): Response {
  const query = new URL(c.req.url).searchParams;
  const reader = new BodyReader({});
  const pageRequest = readPageRequest(query, (field, message) => reader.invalid(field, message));
  const filter = readFilter(query, reader);
  const valid = reader.finish(c, {});
  if (valid instanceof Response) return valid;
  const matching = allPayments()
    .map(refreshPayment)
    .filter((p) => filter.statuses.has(p.status))
    .filter((p) => p.createdAt.slice(0, 10) >= filter.startDate && p.createdAt.slice(0, 10) <= filter.endDate)
    .sort(compare(filter));
  return ok(c, pageOf(matching.map(statusView), pageRequest), 'Liste des paiements');
}
