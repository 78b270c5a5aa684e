/**
 * djomy-edge browser SDK: take Djomy payments from a static site.
 * No dependencies, no build step. Types: checkout.d.ts.
 *
 *   <script src="https://<worker>/checkout.js"></script>    → window.DjomyCheckout
 *   import DjomyCheckout from 'https://<worker>/checkout.mjs' → the same object
 *
 * The API lives on the origin this script was loaded from, unless `baseUrl`
 * says otherwise; the site's own origin must be in the Worker's ALLOWED_ORIGINS.
 *
 *   const payment = await DjomyCheckout.pay({
 *     flow: 'direct', paymentMethod: 'OM', payer: { phone: '622 12 34 56' },
 *     items: [{ sku: 'tasse', quantity: 1 }], reference: 'order-42',
 *   }); // built-in dialog for the OTP; resolves once the Worker has verified
 *   if (payment.paid) location.assign('/merci.html');
 *
 * While a payment is open its id is remembered (localStorage), so that
 * `DjomyCheckout.resume()` on page load picks it up again after a reload, a
 * closed tab or a lost return from Djomy's portal.
 */
// @ts-check
(() => {
  /** @typedef {import('./checkout.js').DjomyCheckoutApi} Api */
  /** @typedef {import('./checkout.js').Payment} Payment */

  const TERMINAL = ['SUCCESS', 'FAILED', 'CANCELLED', 'TIMEOUT', 'REFUNDED'];
  const script = typeof document === 'undefined' ? null : document.currentScript;
  const settings = {
    baseUrl:
      script instanceof HTMLScriptElement && script.src
        ? new URL(script.src).origin
        : (globalThis.location?.origin ?? ''),
  };

  class DjomyCheckoutError extends Error {
    /** @param {ConstructorParameters<Api['DjomyCheckoutError']>[0]} init */
    constructor(init) {
      super(init.detail || init.title);
      this.name = /** @type {const} */ ('DjomyCheckoutError');
      this.code = init.code;
      this.status = init.status ?? 0;
      this.title = init.title;
      this.detail = init.detail ?? null;
      this.errors = init.errors ?? [];
      this.type = init.type ?? null;
      this.paymentId = init.paymentId ?? null;
      this.requestId = init.requestId ?? null;
      this.retryAfter = init.retryAfter ?? null;
      this.payment = init.payment ?? null;
    }
  }

  /** @param {AbortSignal | undefined} signal */
  const aborted = (signal) =>
    new DjomyCheckoutError({ code: 'aborted', title: 'Aborted', detail: String(signal?.reason ?? '') });

  /** @param {number} ms @param {AbortSignal} [signal] @returns {Promise<void>} */
  const sleep = (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal));
      const done = () => {
        signal?.removeEventListener('abort', stop);
        resolve();
      };
      const timer = setTimeout(done, ms);
      const stop = () => {
        clearTimeout(timer);
        reject(aborted(signal));
      };
      signal?.addEventListener('abort', stop, { once: true });
    });

  /**
   * Settles like `promise`, or rejects as soon as `signal` aborts.
   * @template T @param {Promise<T>} promise @param {AbortSignal} signal @returns {Promise<T>}
   */
  const unlessAborted = (promise, signal) =>
    new Promise((resolve, reject) => {
      if (signal.aborted) reject(aborted(signal));
      signal.addEventListener('abort', () => reject(aborted(signal)), { once: true });
      promise.then(resolve, reject);
    });

  /**
   * @param {import('./checkout.js').PaymentStatus} status
   * @returns {status is import('./checkout.js').TerminalStatus}
   */
  function isTerminal(status) {
    return TERMINAL.includes(status);
  }

  /** 128 random bits; getRandomValues, unlike randomUUID, also works on plain-http sites. */
  const newIdempotencyKey = () =>
    `idem_${Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')}`;

  /** Turns any non-2xx answer into an error; problem+json members are copied as they are. */
  function problemError(/** @type {Response} */ response, /** @type {any} */ body) {
    const problem = body && typeof body === 'object' ? body : {};
    const seconds = Number(response.headers.get('retry-after'));
    return new DjomyCheckoutError({
      code: /#problem-([\w-]+)$/.exec(problem.type ?? '')?.[1] ?? `http-${response.status}`,
      status: response.status,
      title: problem.title ?? (response.statusText || `HTTP ${response.status}`),
      detail: problem.detail,
      errors: Array.isArray(problem.errors) ? problem.errors : [],
      type: problem.type,
      paymentId: problem.paymentId,
      requestId: problem.requestId ?? response.headers.get('x-request-id'),
      retryAfter: Number.isFinite(seconds) && seconds > 0 ? seconds : null,
    });
  }

  /**
   * One API call: JSON in and out, every failure a DjomyCheckoutError.
   * @param {string} method @param {string} path
   * @param {{ baseUrl?: string, signal?: AbortSignal, body?: unknown, headers?: Record<string, string> }} options
   */
  async function call(method, path, { baseUrl, signal, body, headers }) {
    const url = (baseUrl || settings.baseUrl).replace(/\/+$/, '') + path;
    /** @type {Response} */
    let response;
    try {
      response = await fetch(url, {
        method,
        signal,
        cache: 'no-store',
        credentials: 'omit',
        headers: {
          accept: 'application/json',
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      if (signal?.aborted) throw aborted(signal);
      // A refused CORS preflight looks exactly like a network failure to a script.
      throw new DjomyCheckoutError({
        code: 'network',
        title: 'Network error',
        detail: `Could not reach ${url} (offline, or this site's origin is not in the Worker's ALLOWED_ORIGINS).`,
      });
    }
    const text = await response.text().catch(() => '');
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {}
    if (!response.ok) throw problemError(response, data);
    if (data === null) {
      throw new DjomyCheckoutError({ code: 'bad-response', status: response.status, title: 'Not JSON' });
    }
    return data;
  }

  /**
   * Not repeated: caps on the payer (repeating soon changes nothing), and a
   * lost create answer (the payment may exist: `pay` waits for it instead).
   */
  const NOT_REPEATED = ['too-many-prompts', 'otp-attempts-exhausted', 'create-outcome-unknown'];

  /**
   * Worth repeating unchanged with the same Idempotency-Key: nothing happened
   * (network, 429), or Djomy was unreachable (502).
   */
  const isTransient = (/** @type {unknown} */ error) =>
    error instanceof DjomyCheckoutError &&
    !NOT_REPEATED.includes(error.code) &&
    (error.code === 'network' ||
      error.status === 429 ||
      error.status === 502 ||
      error.code === 'in-progress');

  /**
   * Only web pages: a URL from the server (Djomy's portal, a wallet page) is
   * followed only if it is http(s), never `javascript:` or `data:`.
   * @param {string} url
   */
  function isWebUrl(url) {
    try {
      const { protocol } = new URL(url);
      return protocol === 'https:' || protocol === 'http:';
    } catch {
      return false;
    }
  }

  /** @param {number} attempt @param {unknown} error */
  const retryDelay = (attempt, error) => {
    const hinted = error instanceof DjomyCheckoutError ? error.retryAfter : null;
    return Math.min(hinted ? hinted * 1000 : 500 * 2 ** attempt, 8000);
  };

  // ── The payment in progress, remembered across page loads ─────────────────

  /**
   * Only the id and an expiry: nothing about the payer or the order is kept
   * in the site's storage. The expiry is the ledger's own lifetime of an open
   * payment of that flow; past it, there is nothing left to resume.
   */
  const PENDING_KEY = 'djomy-checkout:pending';
  const PENDING_FOR = { direct: 30 * 60_000, gateway: 65 * 60_000 };

  /** @param {string} id @param {string | undefined} flow */
  function remember(id, flow) {
    const expiresAt = Date.now() + (flow === 'direct' ? PENDING_FOR.direct : PENDING_FOR.gateway);
    try {
      localStorage.setItem(PENDING_KEY, JSON.stringify({ id, expiresAt }));
    } catch {} // storage disabled or full: the payment goes on, only resume() will not find it
  }

  /** The remembered payment's id, unless it expired (then it is dropped). @returns {string | null} */
  function remembered() {
    try {
      const value = JSON.parse(localStorage.getItem(PENDING_KEY) ?? 'null');
      if (
        typeof value?.id === 'string' &&
        typeof value.expiresAt === 'number' &&
        value.expiresAt > Date.now()
      )
        return value.id;
      localStorage.removeItem(PENDING_KEY);
    } catch {}
    return null;
  }

  /** Forgets payment `id` if it is the one remembered. @param {string} id */
  function forget(id) {
    try {
      if (remembered() === id) localStorage.removeItem(PENDING_KEY);
    } catch {}
  }

  /**
   * Every view the SDK reads passes here: once the remembered payment is
   * closed, whichever page saw it (the shop's result page, say), it is forgotten.
   * @template {Payment} T @param {T} payment @returns {T}
   */
  function seen(payment) {
    if (payment && isTerminal(payment.status)) forget(payment.id);
    return payment;
  }

  /** @type {Api['create']} */
  async function create(options) {
    const { baseUrl, signal, idempotencyKey, retries = 3, ...request } = options;
    // One key for every attempt, so a retry after a lost answer replays instead of paying twice.
    const key = idempotencyKey || newIdempotencyKey();
    for (let attempt = 0; ; attempt++) {
      try {
        return await call('POST', '/api/payments', {
          baseUrl,
          signal,
          body: request,
          headers: { 'idempotency-key': key },
        });
      } catch (error) {
        if (attempt >= retries || !isTransient(error)) throw error;
        await sleep(retryDelay(attempt, error), signal);
      }
    }
  }

  /** @type {Api['confirmOtp']} */
  const confirmOtp = async (id, otp, options = {}) =>
    seen(
      await call('POST', `/api/payments/${encodeURIComponent(id)}/otp`, {
        ...options,
        body: { otp: String(otp) },
      }),
    );

  /** @type {Api['getCatalog']} */
  const getCatalog = (options = {}) => call('GET', '/api/catalog', options);

  /** @type {Api['getPayment']} */
  const getPayment = async (id, options = {}) =>
    seen(await call('GET', `/api/payments/${encodeURIComponent(id)}`, options));

  /** @type {Api['waitForPayment']} */
  async function waitForPayment(id, options = {}) {
    const { timeoutMs = 15 * 60_000, onUpdate, signal, baseUrl } = options;
    const deadline = Date.now() + timeoutMs;
    /** @type {Payment | null} */
    let last = null;
    // Starts brisk (a payer who just typed the OTP wants an answer), then backs
    // off: the Worker rate-limits per IP and only re-asks Djomy every few seconds.
    let delay = 1000;
    for (;;) {
      let wait = delay;
      try {
        const payment = await getPayment(id, { baseUrl, signal });
        if (!last || last.status !== payment.status || last.paid !== payment.paid) onUpdate?.(payment);
        last = payment;
        if (isTerminal(payment.status)) return payment;
      } catch (error) {
        if (!isTransient(error) && !(error instanceof DjomyCheckoutError && error.status >= 500)) throw error;
        wait = Math.max(wait, retryDelay(0, error));
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new DjomyCheckoutError({
          code: 'timeout',
          title: 'No final status yet',
          detail: `Payment ${id} is still ${last?.status ?? 'unknown'}; it may still complete.`,
          paymentId: id,
          payment: last,
        });
      }
      await sleep(Math.min(wait, left), signal);
      delay = Math.min(delay * 1.5, 10_000);
    }
  }

  // ── The ready-made flow ─────────────────────────────────────────────────────

  const TEXT = {
    fr: {
      title: 'Paiement Djomy',
      creating: 'Création du paiement…',
      redirect: 'Redirection vers la page de paiement Djomy…',
      otp: 'Entrez le code reçu par SMS',
      otpLabel: 'Code de confirmation',
      confirm: 'Confirmer',
      cancel: 'Annuler',
      approve: 'Approuvez le paiement sur votre téléphone.',
      openUrl: "Terminez le paiement dans l'application :",
      open: 'Ouvrir',
      verifying: 'Vérification du paiement…',
      portal: 'Votre paiement est ouvert sur la page Djomy.',
      continue: 'Continuer le paiement',
      unknown:
        "La demande de paiement a peut-être déjà été envoyée à votre téléphone. Ne payez pas une seconde fois : cette page se mettra à jour d'elle-même.",
    },
    en: {
      title: 'Djomy payment',
      creating: 'Creating the payment…',
      redirect: "Taking you to Djomy's payment page…",
      otp: 'Enter the code you received by SMS',
      otpLabel: 'Confirmation code',
      confirm: 'Confirm',
      cancel: 'Cancel',
      approve: 'Approve the payment on your phone.',
      openUrl: 'Finish the payment in the app:',
      open: 'Open',
      verifying: 'Checking the payment…',
      portal: "Your payment is open on Djomy's page.",
      continue: 'Continue the payment',
      unknown:
        'The payment request may already be on your phone. Do not pay a second time: this page will update by itself.',
    },
  };

  const DIALOG_CSS = `.djomy-dialog{border:0;border-radius:14px;padding:1.5rem;width:min(22rem,calc(100% - 2rem));font:16px/1.5 system-ui,sans-serif;color:#1c2230;text-align:center;box-shadow:0 12px 40px #0004}
.djomy-dialog::backdrop{background:#0007}
.djomy-dialog h2{margin:0 0 .75rem;font-size:1.15rem}
.djomy-dialog input{display:block;box-sizing:border-box;width:100%;margin:.75rem 0;padding:.6rem;border:1px solid #cfd4dc;border-radius:10px;font:1.5rem ui-monospace,monospace;letter-spacing:.4em;text-align:center}
.djomy-dialog button,.djomy-dialog a{display:block;box-sizing:border-box;width:100%;margin-top:.5rem;padding:.65rem;border:0;border-radius:10px;font:600 1rem system-ui,sans-serif;cursor:pointer;text-decoration:none}
.djomy-dialog .djomy-primary{background:#e8590c;color:#fff}
.djomy-dialog .djomy-cancel{background:none;color:#667085;text-decoration:underline}
.djomy-dialog [role=alert]{color:#c92a2a}
.djomy-spin{width:2rem;height:2rem;margin:.5rem auto;border:3px solid #eee;border-top-color:#e8590c;border-radius:50%;animation:djomy-spin 1s linear infinite}
@keyframes djomy-spin{to{transform:rotate(1turn)}}`;

  /** @type {CSSStyleSheet | null} */
  let dialogSheet = null;

  /**
   * The dialog's styles, as a constructed stylesheet: unlike a <style>
   * element it works under a Content-Security-Policy without 'unsafe-inline'
   * (the site's own, or the demo's). Browsers without constructed sheets get
   * the <style> element.
   * @param {(tag: string, text: string, attrs?: Record<string, string>) => HTMLElement} el
   */
  function installStyles(el) {
    if ('adoptedStyleSheets' in document && typeof CSSStyleSheet === 'function') {
      if (!dialogSheet) {
        dialogSheet = new CSSStyleSheet();
        dialogSheet.replaceSync(DIALOG_CSS);
      }
      if (!document.adoptedStyleSheets.includes(dialogSheet))
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, dialogSheet];
    } else if (!document.getElementById('djomy-style')) {
      document.head.append(el('style', DIALOG_CSS, { id: 'djomy-style' }));
    }
  }

  /**
   * The built-in dialog: one <dialog> whose content follows the steps. Every
   * node is built with the DOM API, so no server text is ever parsed as HTML.
   * @param {'fr' | 'en'} locale @param {() => void} onCancel
   */
  function builtInDialog(locale, onCancel) {
    const t = TEXT[locale];
    /** @param {string} tag @param {string} text @param {Record<string, string>} [attrs] */
    const el = (tag, text, attrs = {}) => {
      const node = document.createElement(tag);
      node.textContent = text;
      for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
      return node;
    };
    installStyles(el);
    const dialog = el('dialog', '', {
      class: 'djomy-dialog',
      'data-djomy': 'dialog',
      'aria-labelledby': 'djomy-title',
    });
    const body = el('div', '', { 'aria-live': 'polite' });
    const cancel = el('button', t.cancel, { type: 'button', class: 'djomy-cancel', 'data-djomy': 'cancel' });
    cancel.addEventListener('click', onCancel);
    // Escape closes a modal dialog: treat it as Cancel.
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      onCancel();
    });
    dialog.append(el('h2', t.title, { id: 'djomy-title' }), body, cancel);
    document.body.append(dialog);
    /** @type {HTMLDialogElement} */ (dialog).showModal();

    return {
      /** @param {import('./checkout.js').PayStep} step */
      step(step) {
        if (step.type === 'open_url') {
          body.replaceChildren(
            el('p', t.openUrl),
            el('a', t.open, {
              href: step.url,
              target: '_blank',
              rel: 'noopener',
              class: 'djomy-primary',
              'data-djomy': 'open-url',
            }),
          );
        } else if (step.type === 'portal') {
          // Back from the portal without an outcome: a link, never an automatic redirect.
          body.replaceChildren(
            el('p', t.portal),
            el('a', t.continue, { href: step.url, class: 'djomy-primary', 'data-djomy': 'portal' }),
          );
        } else if (step.type === 'outcome_unknown') {
          body.replaceChildren(
            el('div', '', { class: 'djomy-spin' }),
            el('p', t.unknown, { role: 'status', 'data-djomy': 'outcome-unknown' }),
          );
        } else if (step.type !== 'otp' && step.type !== 'done') {
          const key = step.type === 'approve_on_phone' ? 'approve' : step.type;
          body.replaceChildren(
            el('div', '', { class: 'djomy-spin' }),
            el('p', t[key], { 'data-djomy': step.type }),
          );
        }
      },
      /** @type {NonNullable<import('./checkout.js').PayOptions['onOtp']>} */
      otp({ error }) {
        return new Promise((resolve) => {
          const form = el('form', '');
          const input = /** @type {HTMLInputElement} */ (
            el('input', '', {
              name: 'otp',
              inputmode: 'numeric',
              autocomplete: 'one-time-code',
              pattern: '[0-9]{4,6}',
              maxlength: '6',
              required: '',
              'aria-label': t.otpLabel,
              'data-djomy': 'otp-input',
            })
          );
          form.append(
            el('label', t.otp),
            ...(error
              ? [el('p', error.detail || error.title, { role: 'alert', 'data-djomy': 'otp-error' })]
              : []),
            input,
            el('button', t.confirm, { class: 'djomy-primary', 'data-djomy': 'otp-submit' }),
          );
          form.addEventListener('submit', (event) => {
            event.preventDefault();
            resolve(input.value.trim());
          });
          body.replaceChildren(form);
          input.focus();
        });
      },
      close() {
        /** @type {HTMLDialogElement} */ (dialog).close();
        dialog.remove();
      },
    };
  }

  /**
   * Asks for the OTP until Djomy accepts one (three tries), while watching the
   * status: the payer may approve on the phone instead (docs/djomy.md#otp-or-phone-approval).
   * Resolves with the payment if it settled meanwhile, else null.
   * @param {import('./checkout.js').StepPayment} payment
   * @param {NonNullable<import('./checkout.js').PayOptions['onOtp']>} askOtp
   * @param {(step: import('./checkout.js').PayStep) => void} step
   * @param {{ baseUrl?: string, signal: AbortSignal }} base
   * @returns {Promise<Payment | null>}
   */
  async function collectOtp(payment, askOtp, step, base) {
    const watcher = new AbortController();
    base.signal.addEventListener('abort', () => watcher.abort(), { once: true });
    /** @type {Promise<Payment>} only ever resolves, with a terminal payment */
    const settled = waitForPayment(payment.id, { baseUrl: base.baseUrl, signal: watcher.signal }).catch(
      () => new Promise(() => {}),
    );
    try {
      /** @type {InstanceType<Api['DjomyCheckoutError']> | null} */
      let error = null;
      for (let attempt = 1; ; attempt++) {
        step({ type: 'otp', payment, attempt, error });
        const prompt = new AbortController();
        const answer = await unlessAborted(
          Promise.race([askOtp({ payment, attempt, error, signal: prompt.signal }), settled]),
          base.signal,
        ).finally(() => prompt.abort());
        if (typeof answer !== 'string') return answer;
        try {
          await confirmOtp(payment.id, answer, base);
          return null;
        } catch (cause) {
          if (!(cause instanceof DjomyCheckoutError)) throw cause;
          // Already closed (approved on the phone meanwhile): the wait tells how.
          if (cause.status === 409) return null;
          // A wrong or malformed code leaves the payment open: ask again.
          if (!(cause.status === 422 || cause.status === 400) || attempt >= 3) throw cause;
          error = cause;
        }
      }
    } finally {
      watcher.abort();
    }
  }

  /**
   * The flow's shared start: one signal (the caller's, or the dialog's Cancel
   * button), the built-in dialog when the page renders nothing itself, and
   * the `step` and `askOtp` that drive both.
   * @param {import('./checkout.js').ResumeOptions} options
   */
  function flowFor(options) {
    const { onStep, onOtp, ui, locale, signal: outer, baseUrl } = options;
    const controller = new AbortController();
    if (outer?.aborted) throw aborted(outer);
    outer?.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    const base = { baseUrl, signal: controller.signal };
    const lang = locale ?? (document.documentElement.lang.startsWith('en') ? 'en' : 'fr');
    const dialog =
      (ui ?? !(onStep || onOtp))
        ? builtInDialog(lang, () => controller.abort('cancelled by the payer'))
        : null;
    /** @param {import('./checkout.js').PayStep} step */
    const step = (step) => {
      dialog?.step(step);
      onStep?.(step);
    };
    return { base, dialog, step, askOtp: onOtp ?? dialog?.otp };
  }

  /**
   * Takes the payer through an open payment's next step, then waits for the
   * verified outcome. A resumed gateway payment offers the portal again as a
   * link instead of redirecting.
   * @param {import('./checkout.js').StepPayment} payment
   * @param {ReturnType<typeof flowFor> & { timeoutMs?: number, onUpdate?: import('./checkout.js').WaitOptions['onUpdate'], onRedirect?: import('./checkout.js').PayOptions['onRedirect'], resumed: boolean, caller: string }} flow
   * @returns {Promise<Payment>}
   */
  async function follow(payment, { base, step, askOtp, timeoutMs, onUpdate, onRedirect, resumed, caller }) {
    const next = payment.next;
    if ((next?.type === 'redirect' || next?.type === 'open_url') && !isWebUrl(next.url)) {
      throw new DjomyCheckoutError({
        code: 'bad-response',
        title: 'Unsafe payment URL',
        detail: 'The payment page URL is not a web address.',
        paymentId: payment.id,
      });
    }
    if (next?.type === 'redirect' && resumed) {
      step({ type: 'portal', payment, url: next.url });
    } else if (next?.type === 'redirect') {
      step({ type: 'redirect', payment, url: next.url });
      if (!onRedirect) {
        globalThis.location.assign(next.url);
        // The page is leaving; the outcome arrives on successUrl / cancelUrl.
        return await new Promise(() => {});
      }
      // Not resumed: `payment` is pay()'s create answer.
      onRedirect(next.url, /** @type {import('./checkout.js').CreatedPayment} */ (payment));
    } else if (next?.type === 'otp') {
      if (!askOtp) throw new TypeError(`DjomyCheckout.${caller}: pass onOtp, or let the built-in dialog ask`);
      const settled = await collectOtp(payment, askOtp, step, base);
      if (settled) {
        step({ type: 'done', payment: settled });
        return settled;
      }
      step({ type: 'verifying', payment });
    } else if (next?.type === 'open_url') {
      step({ type: 'open_url', payment, url: next.url });
    } else if (next?.type === 'approve_on_phone') {
      step({ type: 'approve_on_phone', payment });
    } else {
      step({ type: 'verifying', payment });
    }
    const result = await waitForPayment(payment.id, { ...base, timeoutMs, onUpdate });
    step({ type: 'done', payment: result });
    return result;
  }

  /**
   * A flow the payer (or the caller) abandoned is forgotten: resume() must
   * not bring back a payment that was cancelled on purpose.
   * @param {unknown} error @param {string | null} id
   */
  function forgetIfAbandoned(error, id) {
    if (id && error instanceof DjomyCheckoutError && error.code === 'aborted') forget(id);
  }

  /** @type {Api['pay']} */
  async function pay(options) {
    const { onStep, onOtp, onUpdate, onRedirect, ui, locale, timeoutMs, ...createOptions } = options;
    const flow = flowFor({
      onStep,
      onOtp,
      ui,
      locale,
      signal: createOptions.signal,
      baseUrl: createOptions.baseUrl,
    });
    const { base, step } = flow;
    /** @type {string | null} */
    let id = null;
    try {
      step({ type: 'creating' });
      /** @type {import('./checkout.js').CreatedPayment} */
      let payment;
      try {
        payment = await create({ ...createOptions, signal: base.signal });
      } catch (error) {
        // Djomy's answer was lost and the Worker could not confirm the creation yet: the payer
        // may already have a prompt. Never create again; wait for the Worker to find it.
        if (
          !(error instanceof DjomyCheckoutError) ||
          error.code !== 'create-outcome-unknown' ||
          !error.paymentId
        )
          throw error;
        id = error.paymentId;
        remember(id, createOptions.flow);
        step({ type: 'outcome_unknown', paymentId: id });
        const result = await waitForPayment(id, { ...base, timeoutMs, onUpdate });
        step({ type: 'done', payment: result });
        return result;
      }
      id = payment.id;
      if (!isTerminal(payment.status)) remember(id, payment.flow);
      return await follow(payment, {
        ...flow,
        timeoutMs,
        onUpdate,
        onRedirect,
        resumed: false,
        caller: 'pay',
      });
    } catch (error) {
      forgetIfAbandoned(error, id);
      throw error;
    } finally {
      flow.dialog?.close();
    }
  }

  /** @type {Api['resume']} */
  async function resume(options = {}) {
    const { onUpdate, timeoutMs, baseUrl, signal } = options;
    const id = remembered();
    if (!id) return null;
    /** @type {Payment} */
    let payment;
    try {
      payment = await getPayment(id, { baseUrl, signal });
    } catch (error) {
      // Not known to this Worker (any more): nothing to resume.
      if (error instanceof DjomyCheckoutError && error.status === 404) {
        forget(id);
        return null;
      }
      throw error;
    }
    // Closed meanwhile (getPayment forgot it): only the outcome to report, no dialog.
    if (isTerminal(payment.status)) {
      options.onStep?.({ type: 'done', payment });
      return payment;
    }
    const flow = flowFor(options);
    try {
      return await follow(payment, { ...flow, timeoutMs, onUpdate, resumed: true, caller: 'resume' });
    } catch (error) {
      forgetIfAbandoned(error, id);
      throw error;
    } finally {
      flow.dialog?.close();
    }
  }

  /** @type {Api} */
  const api = {
    getCatalog,
    create,
    confirmOtp,
    getPayment,
    waitForPayment,
    pay,
    resume,
    isTerminal,
    configure(options) {
      if (options.baseUrl) settings.baseUrl = options.baseUrl;
    },
    get baseUrl() {
      return settings.baseUrl;
    },
    DjomyCheckoutError,
    version: '1.0.0',
  };
  globalThis.DjomyCheckout = Object.freeze(api);
})();
