/** Types of `/checkout.mjs`, the ES module form of the SDK (see checkout.d.ts). */
import type { DjomyCheckoutApi } from './checkout.js';

export type * from './checkout.js';

declare const DjomyCheckout: DjomyCheckoutApi;
export default DjomyCheckout;
export declare const getCatalog: DjomyCheckoutApi['getCatalog'];
export declare const create: DjomyCheckoutApi['create'];
export declare const confirmOtp: DjomyCheckoutApi['confirmOtp'];
export declare const getPayment: DjomyCheckoutApi['getPayment'];
export declare const waitForPayment: DjomyCheckoutApi['waitForPayment'];
export declare const pay: DjomyCheckoutApi['pay'];
export declare const resume: DjomyCheckoutApi['resume'];
export declare const isTerminal: DjomyCheckoutApi['isTerminal'];
export declare const DjomyCheckoutError: DjomyCheckoutApi['DjomyCheckoutError'];
