/**
 * The demo shop: catalog from the Worker, a cart in localStorage, and a
 * checkout that goes through `DjomyCheckout.pay()` only. The page renders the
 * payment steps itself (`onStep`, `onOtp`) rather than the SDK's dialog, to
 * show how a site keeps its own look. On load, `DjomyCheckout.resume()` picks
 * up a payment left open by a reload, a closed tab or a lost return from
 * Djomy's portal.
 */
import { cartLines, changeQuantity } from './cart.js';
import { h, hueOf } from './dom.js';
import { lang, methodName, money, onLanguage, setupLanguage, t } from './i18n.js';

const { DjomyCheckout } = window;
const $ = (testid) => document.querySelector(`[data-testid="${testid}"]`);

const form = $('checkout-form');
const stepPanel = $('payment-step');
let catalog = [];
/** The payment in progress, so that its Cancel button can abandon it. */
let flow = null;
/**
 * The last order sent. A retry of the very same order after a network
 * failure reuses its Idempotency-Key and reference, so a lost answer never
 * becomes a second payment.
 */
let attempt = null;

// ── Catalog and cart ─────────────────────────────────────────────────────────

function productCard(product) {
  const hue = hueOf(product.sku);
  return h(
    'li',
    { class: 'product', 'data-testid': `product-${product.sku}` },
    h(
      'div',
      { class: 'tile', style: { '--hue': String(hue) }, 'aria-hidden': 'true' },
      product.name.slice(0, 1),
    ),
    h('h2', {}, product.name),
    h(
      'p',
      { class: 'price', 'data-testid': `price-${product.sku}` },
      money(product.amount, product.currency),
    ),
    h(
      'button',
      {
        type: 'button',
        class: 'add',
        'data-testid': `add-${product.sku}`,
        onclick: (event) => {
          changeQuantity(product.sku, 1);
          renderCart();
          const button = event.currentTarget;
          button.textContent = t('shop.added');
          setTimeout(() => {
            button.textContent = t('shop.add');
          }, 1200);
        },
      },
      t('shop.add'),
    ),
  );
}

function renderCatalog() {
  const list = $('products');
  if (catalog.length === 0) return;
  list.replaceChildren(...catalog.map(productCard));
  list.removeAttribute('aria-busy');
}

function quantityButton(line, delta, label, text) {
  const change = () => {
    changeQuantity(line.sku, delta);
    renderCart();
  };
  return h('button', { type: 'button', 'aria-label': label, onclick: change }, text);
}

function renderCart() {
  const lines = cartLines(catalog);
  const total = lines.reduce((sum, line) => sum + line.amount * line.quantity, 0);
  const count = lines.reduce((sum, line) => sum + line.quantity, 0);
  const currency = lines[0]?.currency ?? 'GNF';
  $('cart-count').textContent = String(count);
  $('cart-count').setAttribute('aria-label', t('cart.count', { count }));
  $('cart-lines').replaceChildren(
    ...(lines.length === 0
      ? [h('li', { class: 'muted' }, t('cart.empty'))]
      : lines.map((line) =>
          h(
            'li',
            { 'data-testid': `cart-line-${line.sku}` },
            h('span', { class: 'name' }, line.name),
            h(
              'span',
              { class: 'qty' },
              quantityButton(line, -1, t('cart.less', { name: line.name }), '−'),
              h('output', { 'data-testid': `cart-qty-${line.sku}` }, String(line.quantity)),
              quantityButton(line, 1, t('cart.more', { name: line.name }), '+'),
            ),
            h('span', { class: 'amount' }, money(line.amount * line.quantity, line.currency)),
          ),
        )),
  );
  $('cart-total').textContent = lines.length ? money(total, currency) : '—';
  // The order is sent: changing the cart now would not change the payment.
  $('cart').inert = flow !== null;
  const pay = $('checkout-pay');
  pay.disabled = lines.length === 0 || flow !== null;
  pay.textContent = lines.length
    ? t('checkout.pay', { total: money(total, currency) })
    : t('checkout.emptyCart');
}

async function loadCatalog() {
  try {
    catalog = await DjomyCheckout.getCatalog();
    renderCatalog();
  } catch {
    $('products').replaceChildren(h('li', { class: 'alert' }, t('shop.loadError')));
  }
  renderCart();
}

// ── Checkout form ────────────────────────────────────────────────────────────

function selected(name) {
  return form.querySelector(`input[name="${name}"]:checked`)?.value;
}

function showError(message, fieldErrors = []) {
  const alert = $('checkout-error');
  const phoneError = $('phone-error');
  const phone = fieldErrors.find((error) => error.path === 'payer.phone');
  phoneError.hidden = !phone;
  // The Worker's messages are English; the field's own message is localised.
  phoneError.textContent = phone ? t('error.invalid_phone') : '';
  $('checkout-phone').setAttribute('aria-invalid', phone ? 'true' : 'false');
  const others = fieldErrors.filter((error) => error !== phone);
  alert.hidden = !message;
  alert.replaceChildren(
    ...(message ? [h('p', {}, message)] : []),
    ...(others.length
      ? [
          h(
            'ul',
            {},
            others.map((error) => h('li', {}, `${error.path}: ${error.message}`)),
          ),
        ]
      : []),
  );
}

function orderReference() {
  const day = new Date().toISOString().slice(2, 10).replaceAll('-', '');
  return `DEMO-${day}-${Math.random().toString(36).slice(2, 7).toUpperCase()}`;
}

function newKey() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `demo_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

function buildOrder() {
  const method = selected('flow') === 'direct' ? selected('method') : undefined;
  const order = {
    flow: selected('flow'),
    items: cartLines(catalog).map(({ sku, quantity }) => ({ sku, quantity })),
    payer: { phone: $('checkout-phone').value.trim() },
    ...(method ? { paymentMethod: method } : {}),
  };
  const fingerprint = JSON.stringify(order);
  if (attempt?.fingerprint !== fingerprint)
    attempt = { fingerprint, key: newKey(), reference: orderReference() };
  const back = new URL('.', location.href);
  return {
    ...order,
    reference: attempt.reference,
    // The Worker's own origin is always an allowed redirect target.
    successUrl: new URL('success.html', back).href,
    cancelUrl: new URL('cancel.html', back).href,
    metadata: { source: 'demo', lang: lang() },
    idempotencyKey: attempt.key,
  };
}

// ── Payment steps ────────────────────────────────────────────────────────────

function spinnerStep(testid, text) {
  return [h('div', { class: 'spinner', 'aria-hidden': 'true' }), h('p', { 'data-testid': testid }, text)];
}

function otpStep({ payment, error }, submit) {
  const input = h('input', {
    id: 'otp',
    name: 'otp',
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    pattern: '[0-9]{4,6}',
    maxlength: '6',
    required: true,
    'aria-describedby': error ? 'otp-error' : null,
    'aria-invalid': error ? 'true' : null,
    'data-testid': 'otp-input',
  });
  const otpForm = h(
    'form',
    {
      class: 'otp',
      onsubmit: (event) => {
        event.preventDefault();
        if (!input.checkValidity()) return input.reportValidity();
        otpForm.querySelector('button').disabled = true;
        submit(input.value.trim());
      },
    },
    h('h2', {}, t('step.otpTitle')),
    h(
      'p',
      {},
      t('step.otpText', {
        amount: money(payment.amount, payment.currency),
        method: methodName(payment.paymentMethod),
      }),
    ),
    h('label', { for: 'otp' }, t('step.otpLabel')),
    input,
    error
      ? h(
          'p',
          { id: 'otp-error', class: 'field-error', role: 'alert', 'data-testid': 'otp-error' },
          t('step.otpRefused', { detail: error.detail || error.title }),
        )
      : null,
    h('button', { class: 'primary', 'data-testid': 'otp-submit' }, t('step.otpSubmit')),
  );
  queueMicrotask(() => input.focus());
  return [otpForm];
}

function renderStep(step) {
  // A lost create answer names the payment only by id: the shop follows it like any other.
  const payment =
    step.payment ?? (step.paymentId ? { id: step.paymentId, flow: 'direct', status: 'CREATED' } : undefined);
  const vars = step.payment
    ? { amount: money(payment.amount, payment.currency), method: methodName(payment.paymentMethod) }
    : {};
  let content;
  switch (step.type) {
    case 'creating':
      content = spinnerStep('step-creating', t('step.creating'));
      break;
    case 'redirect':
      content = spinnerStep('step-redirect', t('step.redirect'));
      break;
    case 'otp':
      return; // rendered by askOtp, which owns the input
    case 'approve_on_phone':
      content = [
        h('div', { class: 'phone-icon', 'aria-hidden': 'true' }),
        h('h2', {}, t('step.approveTitle')),
        h('p', { 'data-testid': 'step-approve' }, t('step.approveText', vars)),
        h('div', { class: 'spinner small', 'aria-hidden': 'true' }),
      ];
      break;
    case 'open_url':
      content = [
        h('h2', {}, t('step.openTitle', vars)),
        h('p', {}, t('step.openText', vars)),
        h(
          'a',
          {
            class: 'button primary',
            href: step.url,
            target: '_blank',
            rel: 'noopener',
            'data-testid': 'step-open-url',
          },
          t('step.open', vars),
        ),
      ];
      break;
    case 'portal': // resume(): the gateway payment is still open; a link back, never a redirect
      content = [
        h('h2', {}, t('step.portalTitle')),
        h('p', {}, t('step.portalText', vars)),
        h('a', { class: 'button primary', href: step.url, 'data-testid': 'step-portal' }, t('step.portal')),
      ];
      break;
    case 'outcome_unknown':
      content = [
        h('h2', {}, t('step.unknownTitle')),
        h('p', { 'data-testid': 'step-outcome-unknown', role: 'status' }, t('step.unknownText')),
        h('div', { class: 'spinner small', 'aria-hidden': 'true' }),
      ];
      break;
    case 'verifying':
    case 'done': // the page is about to move to the result
      content = spinnerStep('step-verifying', t('step.verifying'));
      break;
  }
  showStep(content, payment);
}

function showStep(content, payment) {
  const cancel =
    payment?.flow === 'gateway'
      ? null
      : h(
          'button',
          { type: 'button', class: 'link', 'data-testid': 'step-cancel', onclick: () => flow?.abort() },
          t('step.cancel'),
        );
  stepPanel.replaceChildren(
    ...content,
    h(
      'p',
      { class: 'status', 'data-testid': 'step-status' },
      payment ? t('step.status', { status: payment.status }) : '',
    ),
    ...(cancel ? [cancel] : []),
  );
  if (payment) stepPanel.dataset.paymentId = payment.id;
  stepPanel.hidden = false;
  form.hidden = true;
}

function askOtp(request) {
  return new Promise((resolve) => {
    showStep(otpStep(request, resolve), request.payment);
  });
}

function showUpdate(payment) {
  const status = $('step-status');
  if (status) status.textContent = t('step.status', { status: payment.status });
}

function backToForm() {
  flow = null;
  stepPanel.hidden = true;
  stepPanel.replaceChildren();
  delete stepPanel.dataset.paymentId;
  form.hidden = false;
  renderCart();
}

function resultUrl(payment) {
  const page = payment.paid ? 'success.html' : 'cancel.html';
  const params = new URLSearchParams({ payment: payment.id });
  if (!payment.paid) params.set('status', payment.status === 'SUCCESS' ? 'REVIEW' : payment.status);
  return `${page}?${params}`;
}

async function checkout(event) {
  event.preventDefault();
  showError('');
  if (!$('checkout-phone').value.trim()) {
    $('checkout-phone').focus();
    return showError('', [{ path: 'payer.phone', message: t('error.invalid_phone') }]);
  }
  flow = new AbortController();
  renderCart();
  try {
    const payment = await DjomyCheckout.pay({
      ...buildOrder(),
      signal: flow.signal,
      onStep: renderStep,
      onOtp: askOtp,
      onUpdate: showUpdate,
    });
    attempt = null;
    location.assign(resultUrl(payment));
  } catch (error) {
    backToForm();
    if (!(error instanceof DjomyCheckout.DjomyCheckoutError)) throw error;
    // An abandoned payment stays open at Djomy: paying the same order again
    // (same key) resumes it instead of opening a second one.
    if (error.code === 'aborted') return;
    if (error.code === 'timeout' && error.paymentId)
      return location.assign(`success.html?payment=${error.paymentId}`);
    // Keep the key only when the order may not have reached the Worker or Djomy.
    if (!['network', 'djomy-unavailable', 'in-progress', 'rate-limited'].includes(error.code)) attempt = null;
    if (error.code === 'network') return showError(t('checkout.network'));
    // Field errors the form shows in place need no general message (the Worker's is English).
    if (
      error.code === 'validation' &&
      error.errors.length > 0 &&
      error.errors.every((field) => field.path === 'payer.phone')
    )
      return showError('', error.errors);
    showError(`${t('checkout.failed')} ${error.detail ?? error.title}`, error.errors);
  }
}

/**
 * Picks up the payment the SDK remembered (it keeps only its id): an open one
 * goes on in the step panel where it stood, a closed one goes to its result page.
 */
async function resumePayment() {
  flow = new AbortController();
  renderCart();
  try {
    const payment = await DjomyCheckout.resume({
      signal: flow.signal,
      onStep: renderStep,
      onOtp: askOtp,
      onUpdate: showUpdate,
    });
    if (payment) return location.assign(resultUrl(payment));
  } catch (error) {
    if (!(error instanceof DjomyCheckout.DjomyCheckoutError)) throw error;
    if (error.code === 'timeout' && error.paymentId)
      return location.assign(`success.html?payment=${error.paymentId}`);
    // Aborted by the payer, or the Worker unreachable: the shop as usual (a later load tries again).
  }
  backToForm();
}

// ── Wiring ───────────────────────────────────────────────────────────────────

form.addEventListener('submit', checkout);
form.addEventListener('change', () => {
  $('methods').hidden = selected('flow') !== 'direct';
});
setupLanguage();
onLanguage(() => {
  renderCatalog();
  renderCart();
});
loadCatalog();
resumePayment();
