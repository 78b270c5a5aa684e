/**
 * Which browser origins may use the public API and be sent back to: the
 * sites in ALLOWED_ORIGINS and the Worker's own origin (the demo shop). The
 * one place this is decided, for CORS, the no-JavaScript checkout and the
 * success/cancel URLs.
 */
import { originOf } from '../lib/urls.ts';
import { type AppContext, publicOrigin } from './context.ts';
import { Problem } from './problem.ts';

/** Whether `url` (any URL or origin) belongs to an allowed site. A malformed value is not. */
export function isAllowedOrigin(c: AppContext, url: string): boolean {
  const origin = originOf(url);
  if (origin === null) return false;
  return c.var.deps.config.allowedOrigins.has(origin) || origin === publicOrigin(c);
}

/** The 403 for a refused browser origin; it names the origin so the operator knows what to add. */
export function originRefused(origin: string): Problem {
  const shown = JSON.stringify(origin.slice(0, 200));
  return new Problem({
    status: 403,
    slug: 'origin-not-allowed',
    title: 'Origin not allowed',
    detail: originOf(origin)
      ? `The origin ${shown} is not in ALLOWED_ORIGINS. Add it there to call the checkout API from that site.`
      : `The Origin header ${shown} is not a valid origin.`,
  });
}
