/**
 * A tiny element builder: text is always set as text, never parsed as HTML.
 * `style` takes an object of properties, set through the CSSOM: the page's
 * Content-Security-Policy forbids inline style attributes.
 */

/**
 * @example h('p', { class: 'hint', 'data-testid': 'x' }, 'Hello ', h('strong', {}, 'you'))
 */
export function h(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    if (name.startsWith('on') && typeof value === 'function') node.addEventListener(name.slice(2), value);
    else if (name === 'style' && typeof value === 'object') {
      for (const [property, text] of Object.entries(value)) node.style.setProperty(property, text);
    } else node.setAttribute(name, value === true ? '' : String(value));
  }
  node.append(
    ...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false),
  );
  return node;
}

/** A deterministic hue per SKU, for the product tiles. */
export function hueOf(text) {
  let hash = 0;
  for (const char of text) hash = (hash * 31 + char.charCodeAt(0)) % 360;
  return hash;
}
