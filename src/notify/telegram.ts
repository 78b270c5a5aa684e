/**
 * Payment alerts on the merchant's phone through a Telegram bot
 * (docs/alerts.md): the French text of an alert, and one `sendMessage` call.
 *
 * Plain text, never Markdown or HTML: references come from payers. The Bot
 * API's URL holds the bot token in its path, so it is never logged and never
 * appears in an error this module returns.
 */
import { maskPhone } from '../djomy/phone.ts';

export interface TelegramTarget {
  /** The Bot API's origin: https://api.telegram.org, or the simulator locally. */
  apiBase: string;
  token: string;
  chatId: string;
}

const METHOD_NAMES: Record<string, string> = {
  OM: 'Orange Money',
  MOMO: 'MTN MoMo',
  KULU: 'Kulu',
  PAYCARD: 'PayCard',
  CARD: 'Carte bancaire',
  SOUTRA_MONEY: 'Soutra Money',
};

const FLAG_REASONS: Record<string, string> = {
  amount_mismatch: 'le montant payé diffère de la commande',
  currency_mismatch: 'la devise payée diffère de la commande',
  duplicate_charge: 'deuxième débit pour une commande déjà payée : à rembourser',
};

export interface AlertFacts {
  type: 'payment.succeeded' | 'payment.flagged';
  paymentId: string;
  amount: number;
  currency: string;
  paymentMethod: string | null;
  reference: string | null;
  payerPhone: string | null;
  flag: string | null;
  /** The console's page of the payment, when the Worker knows its own URL. */
  consoleUrl: string | null;
}

/**
 * The alert's text, French, plain.
 *
 * @example alertText({ type: 'payment.succeeded', amount: 25000, currency: 'GNF', … })
 * // "✅ Paiement reçu : 25 000 GNF\nRéférence : cmd-42\n…"
 */
export function alertText(facts: AlertFacts): string {
  const amount = `${new Intl.NumberFormat('fr-FR').format(facts.amount)} ${facts.currency}`;
  const lines =
    facts.type === 'payment.succeeded'
      ? [`✅ Paiement reçu : ${amount}`]
      : [
          `⚠️ Paiement à vérifier : ${amount}`,
          `Raison : ${FLAG_REASONS[facts.flag ?? ''] ?? facts.flag ?? 'inconnue'}`,
        ];
  if (facts.reference) lines.push(`Référence : ${facts.reference.slice(0, 100)}`);
  if (facts.paymentMethod) lines.push(`Moyen : ${METHOD_NAMES[facts.paymentMethod] ?? facts.paymentMethod}`);
  if (facts.payerPhone) lines.push(`Payeur : ${maskPhone(facts.payerPhone)}`);
  lines.push(facts.consoleUrl ? `Détail : ${facts.consoleUrl}` : `Paiement : ${facts.paymentId}`);
  return lines.join('\n');
}

export type TelegramOutcome =
  | { kind: 'sent' }
  /** Try again: after `retryAfterSeconds` when Telegram said so (a 429). */
  | { kind: 'retry'; error: string; retryAfterSeconds?: number }
  /** Telegram refused for good (a wrong token, a chat that blocked the bot): retrying changes nothing. */
  | { kind: 'refused'; error: string };

/**
 * Sends one message. Never throws; the error text names Telegram's answer,
 * never the URL.
 *
 * @example const outcome = await sendTelegramMessage(fetch, config.telegram, text)
 */
export async function sendTelegramMessage(
  fetcher: typeof fetch,
  target: TelegramTarget,
  text: string,
  timeoutMs = 10_000,
): Promise<TelegramOutcome> {
  let response: Response;
  try {
    response = await fetcher(`${target.apiBase}/bot${target.token}/sendMessage`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ chat_id: target.chatId, text, link_preview_options: { is_disabled: true } }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : 'fetch failed';
    return { kind: 'retry', error: `Telegram unreachable (${message.split(target.token).join('…')})` };
  }
  const answer = (await response.json().catch(() => null)) as {
    ok?: boolean;
    description?: unknown;
    parameters?: { retry_after?: unknown };
  } | null;
  if (response.ok && answer?.ok) return { kind: 'sent' };
  const description = typeof answer?.description === 'string' ? answer.description.slice(0, 200) : '';
  const error = `Telegram ${response.status}${description ? `: ${description}` : ''}`;
  if (response.status === 429) {
    const wait = Number(answer?.parameters?.retry_after);
    return {
      kind: 'retry',
      error,
      retryAfterSeconds: Number.isFinite(wait) && wait > 0 ? Math.min(wait, 3600) : 5,
    };
  }
  if ([400, 401, 403, 404].includes(response.status)) return { kind: 'refused', error };
  return { kind: 'retry', error };
}
