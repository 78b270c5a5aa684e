/**
 * A fake Telegram Bot API, so merchant alerts can be seen offline
 * (`TELEGRAM_API_BASE` points the Worker here): `POST /bot<token>/sendMessage`
 * records the message and answers as Telegram does — `{ok, result}`, or
 * `{ok: false, error_code, description, parameters: {retry_after}}` when
 * `telegramResponse` says to fail (a 429 for a while, a 500).
 */
import type { Context } from 'hono';
import { config, patchConfig } from './config.ts';
import type { SimHono } from './env.ts';

export interface TelegramMessage {
  chatId: string;
  text: string;
  /** What the fake answered: 200 means Telegram took it. */
  answeredStatus: number;
  at: string;
}

let messages: TelegramMessage[] = [];

export function clearTelegramInbox(): void {
  messages = [];
}

export function telegramMessages(): TelegramMessage[] {
  return [...messages];
}

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad Request: chat not found',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  429: 'Too Many Requests: retry after',
  500: 'Internal Server Error',
};

/** `POST /:bot/sendMessage`, where `:bot` is `bot<token>`. */
export async function sendMessage(c: Context<SimHono>): Promise<Response> {
  const bot = c.req.param('bot') ?? '';
  if (!bot.startsWith('bot')) return c.json({ ok: false, error_code: 404, description: 'Not Found' }, 404);
  const token = bot.slice(3);
  const expected = c.env.SIM_TELEGRAM_BOT_TOKEN?.trim();
  if (expected && token !== expected)
    return c.json({ ok: false, error_code: 401, description: 'Unauthorized' }, 401);
  let body: { chat_id?: unknown; text?: unknown };
  try {
    body = await c.req.json();
  } catch {
    return c.json({ ok: false, error_code: 400, description: 'Bad Request: message text is empty' }, 400);
  }
  if (typeof body.text !== 'string' || body.text === '' || body.chat_id === undefined)
    return c.json({ ok: false, error_code: 400, description: 'Bad Request: message text is empty' }, 400);
  const answer = config().telegramResponse;
  let status = answer.status;
  if (status !== 200 && answer.times !== null) {
    if (answer.times <= 0) status = 200;
    else patchConfig({ telegramResponse: { times: answer.times - 1 } });
  }
  messages.push({
    chatId: String(body.chat_id),
    text: body.text,
    answeredStatus: status,
    at: new Date().toISOString(),
  });
  if (status === 200) {
    return c.json({
      ok: true,
      result: {
        message_id: messages.length,
        date: Math.floor(Date.now() / 1000),
        chat: { id: body.chat_id },
        text: body.text,
      },
    });
  }
  return c.json(
    {
      ok: false,
      error_code: status,
      description: DESCRIPTIONS[status] ?? 'Error',
      ...(status === 429 ? { parameters: { retry_after: answer.retryAfter } } : {}),
    },
    status as 400,
  );
}
