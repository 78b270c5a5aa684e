/**
 * The cart: `{ sku: quantity }` in localStorage, so it survives the trip to
 * Djomy's page and back. Only SKUs and quantities: prices come from the
 * catalog and the Worker prices the order itself.
 */

const KEY = 'djomy-demo-cart';
const MAX_QUANTITY = 1000;

export function readCart() {
  try {
    const cart = JSON.parse(localStorage.getItem(KEY) ?? '{}');
    return cart && typeof cart === 'object' && !Array.isArray(cart) ? cart : {};
  } catch {
    return {};
  }
}

function write(cart) {
  localStorage.setItem(KEY, JSON.stringify(cart));
}

export function changeQuantity(sku, delta) {
  const cart = readCart();
  const quantity = Math.min(MAX_QUANTITY, (cart[sku] ?? 0) + delta);
  if (quantity > 0) cart[sku] = quantity;
  else delete cart[sku];
  write(cart);
}

export function clearCart() {
  localStorage.removeItem(KEY);
}

/** The cart's lines that are still in the catalog, with their prices. */
export function cartLines(catalog) {
  const cart = readCart();
  return catalog
    .filter((product) => cart[product.sku] > 0)
    .map((product) => ({ ...product, quantity: cart[product.sku] }));
}
