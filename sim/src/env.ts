/** The simulator's bindings (`sim/wrangler.toml` in dev, `vitest.config.ts` in tests). */
export interface SimEnv {
  /** The one merchant the simulator knows. */
  SIM_CLIENT_ID: string;
  /** Its secret: keys the X-API-KEY HMAC and signs the payment webhooks. */
  SIM_CLIENT_SECRET: string;
  /** Where payment webhooks go by default (the Worker's `/webhooks/djomy`). */
  SIM_WEBHOOK_URL?: string;
  /** `whsec_…` secret that the merchant inbox checks Standard Webhooks signatures with. */
  SIM_MERCHANT_WEBHOOK_SECRET: string;
  /** The bot token the fake Telegram Bot API accepts; unset = any. */
  SIM_TELEGRAM_BOT_TOKEN?: string;
}

export type SimHono = {
  Bindings: SimEnv;
  Variables: {
    /** Set by a handler whose answer must be lost after processing (the `reset` fault's effect). */
    loseAnswer?: boolean;
  };
};
