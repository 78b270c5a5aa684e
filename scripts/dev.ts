/**
 * `npm run dev`: the whole thing, offline. Local D1 migrated and seeded, the
 * Djomy simulator on :8788, the Worker on :8787 with the demo shop, the
 * simulator's webhooks pointed at the Worker. Ctrl-C stops both.
 */
import { startStack } from './stack.ts';

const verbose = process.argv.includes('--verbose');
console.log('Starting the Djomy simulator and the Worker (first start takes a few seconds)…');
const stack = await startStack({ workerPort: 8787, simPort: 8788, verbose });

console.log(`
  djomy-edge is running, offline.

  Demo shop (start here)    ${stack.workerUrl}/demo/
  No-JavaScript buy button  ${stack.workerUrl}/demo/buy-button.html
  API docs                  ${stack.workerUrl}/docs
  Health                    ${stack.workerUrl}/healthz
  Merchant console          ${stack.workerUrl}/admin/

  Djomy simulator           ${stack.simUrl}/__sim/
  The payer's phone (OTP)   ${stack.simUrl}/__sim/phone
  Merchant inbox            ${stack.simUrl}/__sim/merchant/deliveries
  Telegram alerts           ${stack.simUrl}/__sim/telegram

  Admin token               ${stack.adminToken}   (from .dev.vars)
  Cashier token             ${stack.viewerToken || '(VIEWER_TOKEN not set in .dev.vars)'}
  Try: curl -H "Authorization: Bearer ${stack.adminToken}" ${stack.workerUrl}/api/admin/payments

  Ctrl-C to stop.${verbose ? '' : ' Add -- --verbose to see every request.'}
`);

const shutdown = async () => {
  console.log('\nStopping…');
  await stack.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
