/** Names and credentials shared by the test configuration and the tests. None of them is real. */

export const TEST_HOSTS = {
  /** The Djomy simulator (every outbound fetch of the Worker lands there in tests). */
  djomy: 'djomy.localhost',
  /** The Worker's own public origin. */
  edge: 'edge.localhost',
  /** A merchant's static site, allowed by CORS. */
  shop: 'shop.example',
  shopDev: 'localhost:5173',
} as const;

export const TEST_CREDENTIALS = {
  clientId: 'djomy-client-1700000000000-a1b2',
  clientSecret: 'test-client-secret-0123456789abcdef',
  adminToken: 'test-admin-token-0123456789abcdef',
  viewerToken: 'test-cashier-token-0123456789abc',
  telegramBotToken: '987654321:test-telegram-bot-token-0123456789',
  merchantWebhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
} as const;

/** Where `test/support/build-sim.ts` writes the simulator bundle for the auxiliary Worker. */
export const SIM_BUNDLE = '.build/sim/index.js';
