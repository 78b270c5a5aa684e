/**
 * A tiny element builder for the console. Text is always set as text, never
 * parsed as HTML (payer references come from outside). No inline styles: the
 * Content-Security-Policy forbids `style=` attributes, so looks come from
 * classes, and the few computed sizes go through the CSSOM.
 */

/**
 * @typedef {string | number | boolean | null | undefined | ((event: any) => void)} AttributeValue
 * @typedef {Node | string | number | null | undefined | false} Child
 * @typedef {Child | Child[] | Child[][]} Children
 */

/**
 * @param {Element} node
 * @param {Record<string, AttributeValue>} attributes
 * @param {Children[]} children
 */
function fill(node, attributes, children) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (typeof value === 'function') node.addEventListener(name.replace(/^on/, ''), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat(2)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'number' ? String(child) : child);
  }
}

/**
 * @example h('p', { class: 'hint', 'data-testid': 'x' }, 'Hello ', h('strong', {}, 'you'))
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, AttributeValue>} [attributes]
 * @param {Children[]} children
 * @returns {HTMLElementTagNameMap[K]}
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  fill(node, attributes, children);
  return node;
}

/**
 * An SVG element (the revenue chart).
 * @param {string} tag
 * @param {Record<string, AttributeValue>} [attributes]
 * @param {Children[]} children
 * @returns {SVGElement}
 */
export function svg(tag, attributes = {}, ...children) {
  const node = /** @type {SVGElement} */ (document.createElementNS('http://www.w3.org/2000/svg', tag));
  fill(node, attributes, children);
  return node;
}

/**
 * Replaces the children of `node`.
 * @param {Element} node
 * @param {Children[]} children
 */
export function put(node, ...children) {
  node.replaceChildren();
  fill(node, {}, children);
}

/**
 * A labelled form field: label above, hint and input wired by ids.
 * @param {string} id
 * @param {string} label
 * @param {HTMLElement} input
 * @param {string} [hint]
 */
export function field(id, label, input, hint) {
  input.id = id;
  if (hint) input.setAttribute('aria-describedby', `${id}-hint`);
  return h(
    'div',
    { class: 'field' },
    h('label', { for: id }, label),
    hint ? h('span', { class: 'hint', id: `${id}-hint` }, hint) : null,
    input,
  );
}

/**
 * A `<select>` with its options; `value` selected.
 * @param {string} name
 * @param {[string, string][]} options [value, label]
 * @param {string} [value]
 */
export function select(name, options, value = '') {
  return h(
    'select',
    { name },
    options.map(([optionValue, label]) =>
      h('option', { value: optionValue, selected: optionValue === value }, label),
    ),
  );
}
