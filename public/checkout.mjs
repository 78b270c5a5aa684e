/**
 * The SDK as an ES module: `import DjomyCheckout, { pay } from 'https://<worker>/checkout.mjs'`.
 * It runs checkout.js (which sets `globalThis.DjomyCheckout`) and re-exports it.
 * A module has no `document.currentScript`, so the API origin comes from this
 * module's own URL instead.
 */
import './checkout.js';

const DjomyCheckout = globalThis.DjomyCheckout;
DjomyCheckout.configure({ baseUrl: new URL(import.meta.url).origin });

export default DjomyCheckout;
export const {
  getCatalog,
  create,
  confirmOtp,
  getPayment,
  waitForPayment,
  pay,
  resume,
  isTerminal,
  DjomyCheckoutError,
} = DjomyCheckout;
