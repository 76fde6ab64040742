import { createHash, randomBytes } from "node:crypto";
import type { Queryable } from "@/server/db/queryable";
import type { Role } from "./roles";

export interface AuthenticatedKey {
  id: string;
  role: Role;
  name: string;
}

export const API_KEY_PREFIX = "sy_";

export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = API_KEY_PREFIX + randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, 12), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash("sha256").update(key).digest("hex");
}

interface CacheEntry {
  key: AuthenticatedKey | null;
  expiresAt: number;
}

/**
 * Authenticates gateway keys with an in-memory cache so the request path does no database round
 * trip for a key seen in the last `ttlMs`. While the database is unreachable, cached keys keep
 * working (stale entries are served) and unknown keys get a 503 rather than a false 401.
 */
export class ApiKeyAuthenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly lastUsed = new Map<string, Date>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly opts: { ttlMs: number; negativeTtlMs?: number; maxEntries?: number; now?: () => number },
  ) {}

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** `null` for an unknown or revoked key; throws when the database is needed but unreachable. */
  async authenticate(rawKey: string): Promise<AuthenticatedKey | null> {
    const hash = hashApiKey(rawKey);
    const hit = this.cache.get(hash);
    const now = this.now();
    if (hit && hit.expiresAt > now) return this.touch(hit.key);
    if (hit?.key) {
      // Known key, entry expired: answer from the cache and re-check in the background, so no
      // request waits on the database (revocations in this process invalidate at once anyway).
      this.refreshInBackground(hash, hit);
      return this.touch(hit.key);
    }
    return this.touch(await this.lookup(hash, hit, now));
  }

  private readonly refreshing = new Set<string>();

  private refreshInBackground(hash: string, hit: CacheEntry): void {
    if (this.refreshing.has(hash)) return;
    this.refreshing.add(hash);
    void this.lookup(hash, hit, this.now())
      .catch(() => {})
      .finally(() => this.refreshing.delete(hash));
  }

  private async lookup(hash: string, hit: CacheEntry | undefined, now: number): Promise<AuthenticatedKey | null> {
    let row: AuthenticatedKey | null;
    try {
      const res = await this.db.query<{ id: string; role: Role; name: string }>(
        "SELECT id, role, name FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL",
        [hash],
      );
      row = res.rows[0] ?? null;
    } catch (e) {
      if (hit) return hit.key; // database down: keep serving what we knew
      throw e;
    }
    const ttl = row ? this.opts.ttlMs : (this.opts.negativeTtlMs ?? 5_000);
    this.cache.set(hash, { key: row, expiresAt: now + ttl });
    if (this.cache.size > (this.opts.maxEntries ?? 100_000)) this.cache.delete(this.cache.keys().next().value!);
    return row;
  }

  /** Drops a key from the cache at once (revocation in this process). */
  invalidate(keyHashOrAll?: string): void {
    if (keyHashOrAll === undefined) this.cache.clear();
    else this.cache.delete(keyHashOrAll);
  }

  invalidateById(id: string): void {
    for (const [hash, entry] of this.cache) if (entry.key?.id === id) this.cache.delete(hash);
  }

  private touch(key: AuthenticatedKey | null): AuthenticatedKey | null {
    if (key) this.lastUsed.set(key.id, new Date(this.now()));
    return key;
  }

  /** Writes `last_used_at` for recently used keys in one statement, off the request path. */
  async flushLastUsed(): Promise<void> {
    if (this.lastUsed.size === 0) return;
    const ids = [...this.lastUsed.keys()];
    const times = ids.map((id) => this.lastUsed.get(id)!.toISOString());
    this.lastUsed.clear();
    await this.db.query(
      `UPDATE api_keys AS k SET last_used_at = GREATEST(COALESCE(k.last_used_at, u.t), u.t)
         FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, t) WHERE k.id = u.id`,
      [ids, times],
    );
  }

  startBackgroundFlush(intervalMs = 10_000): void {
    this.timer = setInterval(() => void this.flushLastUsed().catch(() => {}), intervalMs);
    this.timer.unref();
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.flushLastUsed().catch(() => {});
  }
}
