/**
 * `/__sim/telegram`: the merchant's phone, as far as alerts go: every
 * message the Worker sent to the fake Telegram Bot API, newest first, as a
 * chat would show them, with what the fake answered.
 */
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { SimHono } from '../env.ts';
import { telegramMessages } from '../telegram.ts';
import { layout } from './layout.ts';

export const telegramInbox = new Hono<SimHono>();

telegramInbox.get('/__sim/telegram', (c) => {
  const messages = telegramMessages().reverse();
  return c.html(
    layout(
      'Alertes Telegram du marchand',
      html`<p class="hint" lang="en">The merchant's Telegram chat: what djomy-edge sent (TELEGRAM_API_BASE points here).</p>
${
  messages.length === 0
    ? html`<p>Aucune alerte pour l'instant <span class="hint" lang="en">(no alert yet)</span>.</p>`
    : messages.map(
        (m) => html`<article class="card" data-testid="telegram-message">
  <pre>${m.text}</pre>
  <p class="hint">chat ${m.chatId} · ${m.at} · ${
    m.answeredStatus === 200 ? 'reçu' : html`<span class="warning">refusé ${m.answeredStatus}</span>`
  }</p>
</article>`,
      )
}`,
      { nav: true },
    ),
  );
});
