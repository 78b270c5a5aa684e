/**
 * Health (`#/health`): the go-live checklist, live. Each line is ✓ or ✗
 * (or ! for what is optional or a warning) with what to do about it, from
 * `GET /healthz` (storage, settings, recent refusals) and
 * `GET /api/admin/diagnostics` (Djomy's verdict on the credentials,
 * webhooks received, merchant deliveries), refreshed every 30 seconds.
 * Jobs that gave up (dead letters) are listed below.
 */
import { api } from '../lib/api.js';
import { h, put } from '../lib/dom.js';
import { integer, when } from '../lib/format.js';
import { addStrings, label, lang, t } from '../lib/i18n.js';
import { isAbort, loading, messageBox, pageHeader, poll, problemText } from '../lib/ui.js';

addStrings({
  fr: {
    'health.title': 'Santé et mise en service',
    'health.checklist': 'Liste de contrôle',
    'health.pass': 'OK',
    'health.fail': 'À corriger',
    'health.warn': 'À regarder',
    'health.d1': 'Base de données joignable',
    'health.d1Fail':
      'D1 ne répond pas. Vérifiez la base DB de wrangler.toml et appliquez les migrations : npx wrangler d1 migrations apply DB --remote --env production',
    'health.config': 'Réglages complets',
    'health.configFail':
      'Réglez chaque valeur nommée : wrangler secret put NOM (secrets) ou [env.production.vars] de wrangler.toml, puis npm run deploy.',
    'health.warnings': 'Avertissements de configuration',
    'health.incidents': 'Aucun refus récent de D1 ou des files',
    'health.incidentsFail':
      'Cloudflare a refusé des écritures ces 10 dernières minutes (quota du plan gratuit ?). Les paiements sont revérifiés plus tard.',
    'health.credentials': 'Identifiants Djomy acceptés',
    'health.verdict.accepted': 'Djomy accepte les identifiants ({ms} ms).',
    'health.verdict.refused': 'Djomy refuse les identifiants (HTTP {status}).',
    'health.verdict.edge_refused': 'Le pare-feu de Djomy refuse ce Worker (HTTP {status}).',
    'health.verdict.unreachable': 'Djomy ne répond pas.',
    'health.verdict.not_configured': 'Identifiants Djomy absents.',
    'health.environment': 'Environnement Djomy',
    'health.environmentText': 'Adresse : {url}. Domaine partenaire : {partner}.',
    'health.partnerMissing':
      'En production, Djomy exige un domaine partenaire : demandez à Djomy de valider le vôtre et réglez DJOMY_PARTNER_DOMAIN.',
    'health.webhooks': 'Webhooks Djomy reçus',
    'health.webhooksOk': '{count} reçu(s), le dernier le {date}.',
    'health.webhooksNone':
      'Aucun webhook valide reçu. Dans le tableau de bord Djomy (espace développeur → webhooks), collez :',
    'health.merchant': 'Notifications vers votre serveur',
    'health.merchantNone':
      'Aucune adresse réglée (MERCHANT_WEBHOOK_URL) : votre serveur n’est pas prévenu des paiements. Facultatif.',
    'health.merchantOk': 'Vers {url} : dernière livraison le {date}.',
    'health.merchantNever': 'Vers {url} : aucune livraison pour l’instant.',
    'health.merchantPending': '{count} en attente de livraison.',
    'health.merchantFailed': '{count} abandonnée(s) après tous les essais. Dernière erreur : {error}',
    'health.alerts': 'Alertes Telegram',
    'health.alertsOn': 'Un message arrive sur votre téléphone pour chaque paiement reçu ou à vérifier.',
    'health.alertsOff':
      'Facultatif : réglez TELEGRAM_BOT_TOKEN et TELEGRAM_CHAT_ID pour recevoir chaque paiement sur votre téléphone (voir le README).',
    'health.alertsTest': 'Envoyer une alerte test',
    'health.alertsSent': 'Alerte test envoyée : regardez Telegram.',
    'health.ledger': 'Paiements par statut',
    'health.status': 'Statut',
    'health.deadLetters': 'Tâches abandonnées',
    'health.noDeadLetters': 'Aucune tâche abandonnée.',
    'health.unavailable': 'Information indisponible : {detail}',
  },
  en: {
    'health.title': 'Health and go-live',
    'health.checklist': 'Checklist',
    'health.pass': 'OK',
    'health.fail': 'To fix',
    'health.warn': 'To look at',
    'health.d1': 'Database reachable',
    'health.d1Fail':
      'D1 does not answer. Check the DB binding in wrangler.toml and apply the migrations: npx wrangler d1 migrations apply DB --remote --env production',
    'health.config': 'Settings complete',
    'health.configFail':
      'Set each value named: wrangler secret put NAME (secrets) or [env.production.vars] in wrangler.toml, then npm run deploy.',
    'health.warnings': 'Configuration warnings',
    'health.incidents': 'No recent refusal from D1 or the queues',
    'health.incidentsFail':
      'Cloudflare refused writes in the last 10 minutes (Free plan quota?). Payments are verified again later.',
    'health.credentials': 'Djomy credentials accepted',
    'health.verdict.accepted': 'Djomy accepts the credentials ({ms} ms).',
    'health.verdict.refused': 'Djomy refuses the credentials (HTTP {status}).',
    'health.verdict.edge_refused': 'Djomy’s firewall refuses this Worker (HTTP {status}).',
    'health.verdict.unreachable': 'Djomy does not answer.',
    'health.verdict.not_configured': 'Djomy credentials missing.',
    'health.environment': 'Djomy environment',
    'health.environmentText': 'Address: {url}. Partner domain: {partner}.',
    'health.partnerMissing':
      'In production Djomy requires a partner domain: ask Djomy to validate yours and set DJOMY_PARTNER_DOMAIN.',
    'health.webhooks': 'Djomy webhooks received',
    'health.webhooksOk': '{count} received, the last on {date}.',
    'health.webhooksNone':
      'No valid webhook received. In the Djomy dashboard (developer space → webhooks), paste:',
    'health.merchant': 'Notifications to your server',
    'health.merchantNone':
      'No address set (MERCHANT_WEBHOOK_URL): your server is not told about payments. Optional.',
    'health.merchantOk': 'To {url}: last delivered {date}.',
    'health.merchantNever': 'To {url}: nothing delivered yet.',
    'health.merchantPending': '{count} waiting to be delivered.',
    'health.merchantFailed': '{count} given up after every attempt. Last error: {error}',
    'health.alerts': 'Telegram alerts',
    'health.alertsOn': 'A message reaches your phone for each payment received or to check.',
    'health.alertsOff':
      'Optional: set TELEGRAM_BOT_TOKEN and TELEGRAM_CHAT_ID to get each payment on your phone (see the README).',
    'health.alertsTest': 'Send a test alert',
    'health.alertsSent': 'Test alert sent: look at Telegram.',
    'health.ledger': 'Payments per status',
    'health.status': 'Status',
    'health.deadLetters': 'Abandoned jobs',
    'health.noDeadLetters': 'No abandoned job.',
    'health.unavailable': 'Not available: {detail}',
  },
});

/**
 * @typedef {'pass' | 'fail' | 'warn'} Verdict
 * @typedef {{ setting: string, problem: string }} SettingProblem
 * @typedef {{ status: string, d1: string, problems: SettingProblem[], warnings: SettingProblem[],
 *   incidents: { binding: string, at: string, error: string }[] }} Health
 * @typedef {{ djomy: { baseUrl: string | null, partnerDomainSet: boolean, credentials: string,
 *   httpStatus: number | null, latencyMs: number | null, remedies: string[] },
 *   webhooks: { url: string, received: number, lastReceivedAt: string | null, hint: string | null },
 *   merchantEvents: { url: string | null, pending: number, failed: number, lastDeliveredAt: string | null,
 *   lastError: string | null }, alerts?: { telegram: boolean }, config: SettingProblem[],
 *   ledger: Record<string, number> }} Diagnostics
 */

const MARKS = { pass: '✓', fail: '✗', warn: '!' };

/**
 * @param {Verdict} verdict
 * @param {string} title
 * @param {string} testid
 * @param {import('../lib/dom.js').Children[]} body
 */
function item(verdict, title, testid, ...body) {
  return h(
    'li',
    { class: verdict, 'data-testid': testid, 'data-verdict': verdict },
    h('span', { class: 'mark', 'aria-hidden': 'true' }, MARKS[verdict]),
    h(
      'div',
      {},
      h('h3', {}, title, h('span', { class: 'sr-only' }, ` : ${t(`health.${verdict}`)}`)),
      ...body,
    ),
  );
}

/** @param {SettingProblem[]} problems */
function settingList(problems) {
  return h(
    'ul',
    {},
    problems.map((p) => h('li', {}, h('code', {}, p.setting), ` : ${p.problem}`)),
  );
}

/** @param {Health} health */
function healthItems(health) {
  return [
    item(
      health.d1 === 'ok' ? 'pass' : 'fail',
      t('health.d1'),
      'check-d1',
      health.d1 === 'ok' ? null : h('p', {}, t('health.d1Fail')),
    ),
    item(
      health.problems.length ? 'fail' : 'pass',
      t('health.config'),
      'check-config',
      health.problems.length ? [settingList(health.problems), h('p', {}, t('health.configFail'))] : null,
    ),
    health.warnings.length
      ? item('warn', t('health.warnings'), 'check-warnings', settingList(health.warnings))
      : null,
    item(
      health.incidents.length ? 'fail' : 'pass',
      t('health.incidents'),
      'check-incidents',
      health.incidents.length
        ? [
            h('p', {}, t('health.incidentsFail')),
            h(
              'ul',
              {},
              health.incidents.map((i) => h('li', {}, `${i.binding} · ${when(i.at, lang)} · ${i.error}`)),
            ),
          ]
        : null,
    ),
  ];
}

/**
 * Telegram alerts: set or not, and a button (the merchant's) that sends a test alert now.
 * @param {Diagnostics} d
 * @param {import('../lib/ui.js').PageContext} ctx
 * @param {ReturnType<typeof messageBox>} message
 */
function alertsItem(d, ctx, message) {
  const on = d.alerts?.telegram ?? false;
  const test = async () => {
    try {
      await api('/api/admin/diagnostics/telegram', { method: 'POST', signal: ctx.signal });
      message.show('ok', t('health.alertsSent'));
    } catch (error) {
      if (!isAbort(error)) message.show('error', problemText(error));
    }
  };
  return item(
    on ? 'pass' : 'warn',
    t('health.alerts'),
    'check-alerts',
    h('p', {}, t(on ? 'health.alertsOn' : 'health.alertsOff')),
    on && ctx.role === 'admin'
      ? h('button', { type: 'button', 'data-testid': 'alerts-test', onclick: test }, t('health.alertsTest'))
      : null,
  );
}

/** @param {Diagnostics} d */
function diagnosticItems(d) {
  const { djomy, webhooks, merchantEvents: events } = d;
  const production = djomy.baseUrl?.startsWith('https://api.djomy.africa') ?? false;
  /** @type {Verdict} */
  const eventsVerdict = !events.url
    ? 'warn'
    : events.failed > 0
      ? 'fail'
      : events.pending > 0
        ? 'warn'
        : 'pass';
  return [
    item(
      djomy.credentials === 'accepted' ? 'pass' : 'fail',
      t('health.credentials'),
      'check-credentials',
      h(
        'p',
        {},
        t(`health.verdict.${djomy.credentials}`, {
          ms: djomy.latencyMs ?? '—',
          status: djomy.httpStatus ?? '—',
        }),
      ),
      djomy.remedies.length
        ? h(
            'ul',
            {},
            djomy.remedies.map((r) => h('li', {}, r)),
          )
        : null,
    ),
    item(
      production && !djomy.partnerDomainSet ? 'warn' : 'pass',
      t('health.environment'),
      'check-environment',
      h(
        'p',
        {},
        t('health.environmentText', {
          url: djomy.baseUrl ?? '—',
          partner: djomy.partnerDomainSet ? t('common.yes') : t('common.no'),
        }),
      ),
      production && !djomy.partnerDomainSet ? h('p', {}, t('health.partnerMissing')) : null,
    ),
    item(
      webhooks.received > 0 ? 'pass' : 'fail',
      t('health.webhooks'),
      'check-webhooks',
      webhooks.received > 0
        ? h(
            'p',
            {},
            t('health.webhooksOk', {
              count: integer(webhooks.received),
              date: when(webhooks.lastReceivedAt, lang),
            }),
          )
        : [
            h('p', {}, t('health.webhooksNone')),
            h('p', {}, h('code', { 'data-testid': 'webhook-url' }, webhooks.url)),
          ],
    ),
    item(
      eventsVerdict,
      t('health.merchant'),
      'check-merchant',
      !events.url
        ? h('p', {}, t('health.merchantNone'))
        : [
            h(
              'p',
              {},
              events.lastDeliveredAt
                ? t('health.merchantOk', { url: events.url, date: when(events.lastDeliveredAt, lang) })
                : t('health.merchantNever', { url: events.url }),
            ),
            events.pending
              ? h('p', {}, t('health.merchantPending', { count: integer(events.pending) }))
              : null,
            events.failed
              ? h(
                  'p',
                  {},
                  t('health.merchantFailed', {
                    count: integer(events.failed),
                    error: events.lastError ?? '—',
                  }),
                )
              : null,
          ],
    ),
  ];
}

/** @param {Record<string, number>} ledger */
function ledgerTable(ledger) {
  const rows = Object.entries(ledger).sort((a, b) => b[1] - a[1]);
  return h(
    'div',
    { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': t('health.ledger') },
    h(
      'table',
      { 'data-testid': 'health-ledger' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          h('th', { scope: 'col' }, t('health.status')),
          h('th', { scope: 'col', class: 'num' }, '#'),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(([status, count]) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `#/payments?status=${status}` }, label('status', status))),
            h('td', { class: 'num' }, integer(count)),
          ),
        ),
      ),
    ),
  );
}

/**
 * @param {{ id: number, queue: string, kind: string, paymentId: string | null, error: string | null,
 *   attempts: number | null, at: string }[]} letters
 */
function deadLetterList(letters) {
  if (!letters.length) return h('p', { class: 'muted' }, t('health.noDeadLetters'));
  return h(
    'ul',
    { class: 'rows', 'data-testid': 'dead-letters' },
    letters.map((letter) =>
      h(
        'li',
        { class: 'row' },
        h('span', {}, `${letter.queue} · ${letter.kind}`),
        h('span', { class: 'meta right' }, when(letter.at, lang)),
        h(
          'span',
          { class: 'meta' },
          letter.paymentId ? h('a', { href: `#/payments/${letter.paymentId}` }, letter.paymentId) : null,
          letter.error ? ` ${letter.error}` : null,
        ),
      ),
    ),
  );
}

/** @param {import('../lib/ui.js').PageContext} ctx */
export async function mount(ctx) {
  const updated = h('p', { class: 'muted', 'data-testid': 'health-updated' });
  const message = messageBox('health-message');
  const checklist = h(
    'ul',
    { class: 'checklist', 'data-testid': 'checklist', 'aria-busy': 'true' },
    h('li', {}, loading()),
  );
  const ledger = h('div', {});
  const letters = h('div', {});
  put(
    ctx.main,
    pageHeader(t('health.title'), updated),
    message.box,
    h('h2', {}, t('health.checklist')),
    checklist,
    h('h2', {}, t('health.ledger')),
    ledger,
    h('h2', {}, t('health.deadLetters')),
    letters,
  );

  const refresh = async () => {
    const [health, diagnostics, dead] = await Promise.allSettled([
      api('/healthz', { signal: ctx.signal, accept: [503] }),
      api('/api/admin/diagnostics', { signal: ctx.signal }),
      api('/api/admin/dead-letters?limit=10', { signal: ctx.signal }),
    ]);
    if (ctx.signal.aborted) return;
    /** @param {PromiseRejectedResult} failed */
    const unavailable = (failed) =>
      isAbort(failed.reason)
        ? null
        : h('p', { class: 'message error' }, t('health.unavailable', { detail: problemText(failed.reason) }));
    put(
      checklist,
      health.status === 'fulfilled' ? healthItems(health.value) : h('li', {}, unavailable(health)),
      diagnostics.status === 'fulfilled'
        ? [...diagnosticItems(diagnostics.value), alertsItem(diagnostics.value, ctx, message)]
        : h('li', {}, unavailable(diagnostics)),
    );
    checklist.removeAttribute('aria-busy');
    put(ledger, diagnostics.status === 'fulfilled' ? ledgerTable(diagnostics.value.ledger) : null);
    put(letters, dead.status === 'fulfilled' ? deadLetterList(dead.value.deadLetters) : unavailable(dead));
    updated.textContent = t('common.updated', { time: when(Date.now(), lang, 'time') });
  };
  poll(ctx.signal, refresh, 30_000);
}
