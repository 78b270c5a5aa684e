/**
 * Types of the djomy-edge browser SDK (`/checkout.js`, `/checkout.mjs`).
 * Hand-written; the API they describe is `/openapi.json` (rendered at `/docs`).
 *
 * Classic script: `DjomyCheckout` is a global (declared below).
 * ES module: `import DjomyCheckout, { pay } from 'https://<worker>/checkout.mjs'`
 * (see checkout.d.mts); `import type { Payment } from './checkout.js'` for the types.
 */

export type PaymentStatus =
  | 'CREATED'
  | 'PENDING'
  | 'REDIRECTED'
  | 'SUCCESS'
  | 'CAPTURED'
  | 'FAILED'
  | 'CANCELLED'
  | 'TIMEOUT'
  | 'REFUNDED';

/** Statuses that never change again (except SUCCESS → REFUNDED). */
export type TerminalStatus = 'SUCCESS' | 'FAILED' | 'CANCELLED' | 'TIMEOUT' | 'REFUNDED';

/** A product of `GET /api/catalog`. Prices live in the Worker, never in the page. */
export interface Product {
  sku: string;
  name: string;
  /** In the currency's unit (GNF has no minor unit). */
  amount: number;
  currency: string;
}

/** Direct flow: the payer's wallet is prompted. `CARD` is refused there (cards use the gateway). */
export type DirectMethod = 'OM' | 'MOMO' | 'KULU' | 'PAYCARD' | 'SOUTRA_MONEY' | 'YMO';
/** Methods the Djomy hosted page may offer. */
export type GatewayMethod = 'OM' | 'MOMO' | 'SOUTRA_MONEY' | 'PAYCARD' | 'CARD';

export interface OrderLine {
  sku: string;
  /** 1–1000. */
  quantity: number;
}

interface PaymentRequestBase {
  /** 1–50 lines, priced by the Worker from its catalog. */
  items?: OrderLine[];
  /** Open amount (donations), only without `items` and when the Worker allows it. */
  amount?: number;
  countryCode?: 'GN' | 'SL' | 'LR';
  /** Any common writing: `+224 622 12 34 56`, `622123456`, `00224622123456`. */
  payer: { phone: string };
  /** The merchant's order reference, ≤ 100 characters. */
  reference?: string;
  /** Absolute URL on an allowed origin; gets `?payment=<id>` once paid. */
  successUrl?: string;
  /** Absolute URL on an allowed origin; gets `?payment=<id>&status=<status>` otherwise. */
  cancelUrl?: string;
  /** Flat, ≤ 20 keys. */
  metadata?: Record<string, string | number | boolean>;
}

/** Djomy's hosted page: the payer is redirected there. */
export interface GatewayPaymentRequest extends PaymentRequestBase {
  flow?: 'gateway';
  allowedPaymentMethods?: GatewayMethod[];
}

/** The payer's wallet is prompted (OTP, push approval, or an app to open). */
export interface DirectPaymentRequest extends PaymentRequestBase {
  flow: 'direct';
  paymentMethod: DirectMethod;
}

/** The body of `POST /api/payments`. */
export type PaymentRequest = GatewayPaymentRequest | DirectPaymentRequest;

/** What the payer does after creation. */
export type NextStep =
  | { type: 'redirect'; url: string }
  | { type: 'otp' }
  | { type: 'open_url'; url: string }
  | { type: 'approve_on_phone' };

/** The 201 answer of `POST /api/payments`. */
export interface CreatedPayment {
  id: string;
  status: PaymentStatus;
  flow: 'gateway' | 'direct';
  amount: number;
  currency: string;
  paymentMethod: string | null;
  reference: string | null;
  next: NextStep | null;
  /** The payer's own page for this payment (`<worker>/pay/{id}`): status, next step, receipt once paid. */
  payUrl: string;
}

/** The public view, `GET /api/payments/{id}`. */
export interface Payment {
  id: string;
  status: PaymentStatus;
  /** True only once the Worker verified SUCCESS for the order amount with Djomy. Trust this, not the status. */
  paid: boolean;
  flow: 'gateway' | 'direct' | 'link' | 'external';
  amount: number;
  currency: string;
  paymentMethod: string | null;
  reference: string | null;
  /** ISO 8601. */
  updatedAt: string;
  /**
   * What the payer does next while the payment is open, `null` once it is closed.
   * Set by `getPayment`/`waitForPayment`; absent from `confirmOtp`'s answer.
   */
  next?: NextStep | null;
  /** The payer's own page for this payment (`<worker>/pay/{id}`). Absent from `confirmOtp`'s answer. */
  payUrl?: string;
}

/** The payment a step is about: the create answer in `pay()`, the public view in `resume()`. */
export type StepPayment = CreatedPayment | Payment;

export interface FieldError {
  /** e.g. `payer.phone`, `items.0.sku`. */
  path: string;
  message: string;
}

/**
 * `code` is the problem type's slug (`validation`, `djomy-refused`,
 * `rate-limited`, …, see `/docs#problems`), or one of the SDK's own:
 * `network`, `timeout`, `aborted`, `bad-response`, `http-<status>`.
 */
export type ErrorCode =
  | 'validation'
  | 'not-found'
  | 'conflict'
  | 'in-progress'
  | 'origin-not-allowed'
  | 'rate-limited'
  | 'too-large'
  | 'unsupported-media-type'
  | 'misconfigured'
  | 'djomy-refused'
  | 'otp-refused'
  | 'djomy-unavailable'
  | 'djomy-configuration'
  | 'internal'
  | 'network'
  | 'timeout'
  | 'aborted'
  | 'bad-response'
  | (string & {});

export interface DjomyCheckoutErrorInit {
  code: ErrorCode;
  status?: number;
  title: string;
  detail?: string | null;
  errors?: FieldError[];
  type?: string | null;
  paymentId?: string | null;
  requestId?: string | null;
  retryAfter?: number | null;
  payment?: Payment | null;
}

/** Every failure of the SDK: an RFC 9457 problem from the Worker, or a client-side one (`status` 0). */
export interface DjomyCheckoutError extends Error {
  readonly name: 'DjomyCheckoutError';
  readonly code: ErrorCode;
  /** HTTP status; 0 when no answer was read (network, timeout, aborted). */
  readonly status: number;
  readonly title: string;
  readonly detail: string | null;
  /** Field errors of a `validation` problem. */
  readonly errors: FieldError[];
  /** The problem `type` URI, e.g. `/docs#problem-validation`. */
  readonly type: string | null;
  /** Set when a payment row exists despite the error (Djomy refused it or was unreachable; or a wait timed out). */
  readonly paymentId: string | null;
  readonly requestId: string | null;
  /** Seconds, from `Retry-After`. */
  readonly retryAfter: number | null;
  /** The last status seen, for a `timeout` of `waitForPayment`. */
  readonly payment: Payment | null;
}

/** `DjomyCheckout.DjomyCheckoutError`, for `instanceof`. */
export interface DjomyCheckoutErrorConstructor {
  new (init: DjomyCheckoutErrorInit): DjomyCheckoutError;
  readonly prototype: DjomyCheckoutError;
}

export interface RequestOptions {
  /** The Worker's origin. Default: the origin `checkout.js` was loaded from. */
  baseUrl?: string;
  signal?: AbortSignal;
}

export type CreateOptions = PaymentRequest &
  RequestOptions & {
    /** Default: a fresh random key, reused for every retry of this call. */
    idempotencyKey?: string;
    /** Retries of network errors, 429, 502 and `in-progress` 409 (default 3). */
    retries?: number;
  };

export interface WaitOptions extends RequestOptions {
  /** Give up (error code `timeout`) after this long. Default 15 minutes. */
  timeoutMs?: number;
  /** Called with the first view and whenever `status` or `paid` changes. */
  onUpdate?: (payment: Payment) => void;
}

export type PayStep =
  | { type: 'creating' }
  | { type: 'redirect'; payment: StepPayment; url: string }
  /**
   * `resume()` only: a gateway payment is still open on Djomy's page. Offer `url` as a link
   * ("Continue the payment"); the payer is never sent back there automatically.
   */
  | { type: 'portal'; payment: StepPayment; url: string }
  | { type: 'otp'; payment: StepPayment; attempt: number; error: DjomyCheckoutError | null }
  | { type: 'open_url'; payment: StepPayment; url: string }
  | { type: 'approve_on_phone'; payment: StepPayment }
  | { type: 'verifying'; payment: StepPayment }
  /**
   * Djomy's answer to the creation was lost (problem `create-outcome-unknown`): the payer may
   * already have a prompt on the phone. Tell them not to pay again; `pay` waits for the outcome.
   */
  | { type: 'outcome_unknown'; paymentId: string }
  | { type: 'done'; payment: Payment };

export interface OtpRequest {
  payment: StepPayment;
  /** 1, 2, 3: a refused code is asked again up to three times in all. */
  attempt: number;
  /** Why the previous code was refused. */
  error: DjomyCheckoutError | null;
  /** Aborts when the flow is abandoned: drop the prompt. */
  signal: AbortSignal;
}

export type PayOptions = CreateOptions & {
  /**
   * Show the built-in modal dialog (default: only when neither `onStep` nor
   * `onOtp` is given, i.e. when the page renders nothing itself).
   */
  ui?: boolean;
  /** Language of the built-in dialog. Default: `<html lang>` (`en…` → English), else French. */
  locale?: 'fr' | 'en';
  /** Render each step yourself. */
  onStep?: (step: PayStep) => void;
  /** Ask the payer for the OTP; resolve with the code. Required for OTP methods when there is no dialog. */
  onOtp?: (request: OtpRequest) => Promise<string>;
  /**
   * Handle the gateway redirect yourself (e.g. a new tab); `pay` then waits for
   * the result. Default: the page navigates to Djomy and `pay` never settles.
   */
  onRedirect?: (url: string, payment: CreatedPayment) => void;
  onUpdate?: WaitOptions['onUpdate'];
  timeoutMs?: number;
};

/** `resume()` takes the options of `pay()` that shape the flow, not those of the order. */
export type ResumeOptions = RequestOptions &
  Pick<PayOptions, 'ui' | 'locale' | 'onStep' | 'onOtp' | 'onUpdate' | 'timeoutMs'>;

export interface DjomyCheckoutApi {
  /** `GET /api/catalog`: the active products, priced by the Worker. */
  getCatalog(options?: RequestOptions): Promise<Product[]>;
  /**
   * `POST /api/payments` with an Idempotency-Key; transient failures are
   * retried with the same key, so a lost answer never creates two payments.
   */
  create(options: CreateOptions): Promise<CreatedPayment>;
  /** `POST /api/payments/{id}/otp`. A wrong code is a 422 `otp-refused`. */
  confirmOtp(id: string, otp: string, options?: RequestOptions): Promise<Payment>;
  /** `GET /api/payments/{id}`. */
  getPayment(id: string, options?: RequestOptions): Promise<Payment>;
  /** Polls with backoff until a terminal status; check `paid` on the result. */
  waitForPayment(id: string, options?: WaitOptions): Promise<Payment>;
  /**
   * Create, then take the payer through the next step (redirect, OTP, app,
   * phone approval) and resolve with the verified terminal payment.
   */
  pay(options: PayOptions): Promise<Payment>;
  /**
   * Picks up the payment `pay()` left open, after a reload, a closed tab or a
   * return from Djomy's portal that never reached `successUrl`. Call it on page load.
   *
   * While a payment is open, `pay()` remembers it in `localStorage`
   * (`djomy-checkout:pending` → `{ id, expiresAt }` only: no phone, no amount; for
   * 30 minutes in the direct flow, 65 in the gateway flow). It is forgotten as
   * soon as any SDK call sees it closed, or when the flow is abandoned (Cancel,
   * `signal`).
   *
   * - Nothing remembered, expired, or unknown to the Worker: resolves with `null`.
   * - Closed: resolves with the verified payment (one `done` step, no dialog).
   * - Open: continues with the same dialog or callbacks as `pay()`: the OTP form,
   *   waiting for approval, the app to open, or, for a gateway payment, a
   *   `portal` step (a link back to Djomy's page, never an automatic redirect);
   *   then resolves with the verified terminal payment.
   *
   * Rejects like `pay()` (`aborted`, `timeout`, …); a network failure leaves the
   * payment remembered for the next call.
   *
   * @example
   * const payment = await DjomyCheckout.resume();
   * if (payment?.paid) location.assign('/merci.html');
   */
  resume(options?: ResumeOptions): Promise<Payment | null>;
  isTerminal(status: PaymentStatus): status is TerminalStatus;
  /** Change the default `baseUrl`. */
  configure(options: { baseUrl?: string }): void;
  readonly baseUrl: string;
  readonly DjomyCheckoutError: DjomyCheckoutErrorConstructor;
  readonly version: string;
}

declare global {
  /** Set by `<script src="https://<worker>/checkout.js">`. */
  var DjomyCheckout: DjomyCheckoutApi;
}
