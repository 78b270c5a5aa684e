/**
 * Which URLs this Worker accepts: its own settings, the sites it serves, and
 * the URLs Djomy hands out that a payer's browser will follow.
 */

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** A loopback host: only the developer's own machine can be reached through it. */
export function isLoopback(url: URL): boolean {
  return LOOPBACK_HOSTS.has(url.hostname) || url.hostname.endsWith('.localhost');
}

/** `http://` is acceptable only for loopback hosts (`*.localhost` included); anything else must be https. */
export function isSecureOrLoopback(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopback(url));
}

/**
 * A URL from Djomy that a payer's browser will be sent to (a portal, a
 * wallet page, a payment link): https, or http on loopback for the local
 * simulator. Anything else (`javascript:`, plain http on the internet, not a
 * URL at all) is refused before it reaches a redirect or `location.assign`.
 *
 * @example isSafeBrowserUrl('https://pay.djomy.africa/portal/1') // true
 */
export function isSafeBrowserUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  return isSecureOrLoopback(new URL(text));
}

/** The origin of `text` (`scheme://host[:port]`), or null when it is not an http(s) URL with a host. */
export function originOf(text: string): string | null {
  if (!URL.canParse(text)) return null;
  const url = new URL(text);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  return url.origin === 'null' ? null : url.origin;
}
