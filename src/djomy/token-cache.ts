/**
 * Djomy bearer tokens, cached in memory (per isolate) and in KV (across
 * isolates), refreshed before they expire, and fetched once however many
 * callers ask at the same moment (docs/djomy.md#authentication).
 *
 * Djomy does not document the token lifetime: we trust `expiresIn` (3600 s
 * when absent), stop using a token 60 s before it ends (a fifth of its life
 * when that is shorter), and store it in KV with a TTL of at least 60 s, KV's
 * minimum. The stored value carries its own expiry, so a KV entry that
 * outlives a short-lived token is never used.
 */

export interface IssuedToken {
  accessToken: string;
  /** Seconds, from Djomy's `expiresIn`. */
  lifetimeSeconds: number;
}

interface CachedToken {
  accessToken: string;
  /** Unix ms after which the token must not be sent any more. */
  usableUntil: number;
}

export type TokenKv = Pick<KVNamespace, 'get' | 'put' | 'delete'>;

const KV_MIN_TTL_SECONDS = 60;
const REFRESH_MARGIN_SECONDS = 60;
/** How many refused tokens to remember; only the latest few can still be in KV. */
const REFUSED_MEMORY = 8;

export class TokenCache {
  private readonly kv: TokenKv;
  private readonly key: string;
  private readonly now: () => number;
  private memory: CachedToken | null = null;
  private inflight: Promise<string> | null = null;
  /**
   * Tokens Djomy refused. A concurrent `get` can read one back from KV before
   * `invalidate` has deleted it (or from a KV read that is not yet consistent),
   * which would turn the one refresh after a 401 into a second 401.
   */
  private readonly refused = new Set<string>();

  /**
   * @param kv the `TOKENS` namespace
   * @param key KV key; include the client id and base URL so environments never share a token
   */
  constructor(kv: TokenKv, key: string, now: () => number = Date.now) {
    this.kv = kv;
    this.key = key;
    this.now = now;
  }

  /**
   * A usable token: from memory, else from KV, else from `issue` (one call
   * shared by every concurrent caller).
   *
   * @example const token = await cache.get(() => client.authenticate())
   */
  get(issue: () => Promise<IssuedToken>): Promise<string> {
    if (this.memory && this.memory.usableUntil > this.now()) return Promise.resolve(this.memory.accessToken);
    this.inflight ??= this.load(issue).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** Forgets `accessToken` after Djomy refused it (401), so the next `get` issues a new one. */
  async invalidate(accessToken: string): Promise<void> {
    this.refused.add(accessToken);
    if (this.refused.size > REFUSED_MEMORY) this.refused.delete(this.refused.values().next().value as string);
    if (this.memory?.accessToken === accessToken) this.memory = null;
    // Like every KV access here, best effort: the token is already never used again by this cache.
    const stored = await this.kv.get<CachedToken>(this.key, 'json').catch(() => null);
    if (stored?.accessToken === accessToken) await this.kv.delete(this.key).catch(() => undefined);
  }

  private async load(issue: () => Promise<IssuedToken>): Promise<string> {
    const stored = await this.kv.get<CachedToken>(this.key, 'json').catch(() => null);
    if (
      stored &&
      typeof stored.accessToken === 'string' &&
      stored.usableUntil > this.now() &&
      !this.refused.has(stored.accessToken)
    ) {
      this.memory = stored;
      return stored.accessToken;
    }
    const issued = await issue();
    const margin = Math.min(REFRESH_MARGIN_SECONDS, Math.floor(issued.lifetimeSeconds / 5));
    const usableSeconds = issued.lifetimeSeconds - margin;
    const token = { accessToken: issued.accessToken, usableUntil: this.now() + usableSeconds * 1000 };
    this.memory = token;
    // A failed KV write costs one extra auth call elsewhere, never this request.
    await this.kv
      .put(this.key, JSON.stringify(token), { expirationTtl: Math.max(KV_MIN_TTL_SECONDS, usableSeconds) })
      .catch(() => undefined);
    return token.accessToken;
  }
}
