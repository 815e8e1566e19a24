import { createHash } from 'node:crypto';
import type { Page } from '../../domain/entities.js';
import { AuthenticationError, ConflictError, EntityExistsError, NotFoundError, ValidationError } from '../../domain/errors.js';
import { MAX_NAME_LENGTH } from '../../domain/names.js';
import { parsePageRequest, type PageRequest } from '../../domain/pagination.js';
import {
  findApiKey,
  findApiKeyPublic,
  hasActiveAdminKey,
  insertApiKey,
  listApiKeys,
  revokeApiKey,
  touchApiKey,
  type ApiKeyPublicRow,
} from '../../store/api-key-repository.js';
import type { Store } from '../../store/store.js';
import { apiKeyHashMatches, generateApiKey, hashApiKey, newSalt, parseApiKey, type ParsedApiKey } from './api-key-format.js';
import { isRole, parseRole, type Principal, type Role } from './roles.js';

/** An API key as shown to people and the API: never its hash, salt or secret. */
export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  createdAt: Date;
  /** When the key last authenticated a request, to within {@link ApiKeyServiceOptions.touchIntervalMs}. */
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** A key just created: `key` is the raw key, shown to the user once and stored nowhere. */
export interface CreatedApiKey {
  key: string;
  record: ApiKeyRecord;
}

/** The admin key created on a server's first start; `source` says whether it came from the environment. */
export interface BootstrapAdminKey extends CreatedApiKey {
  source: 'environment' | 'generated';
}

/** Options of {@link ApiKeyService}. */
export interface ApiKeyServiceOptions {
  /** The clock (tests). */
  now?: () => Date;
  /** `last_used_at` is written at most once per this many milliseconds per key; default one minute. */
  touchIntervalMs?: number;
  /**
   * How long (ms) this process remembers a successful verification, keyed by the sha256 of the raw key;
   * default {@link DEFAULT_VERIFY_CACHE_TTL_MS}, 0 disables. `revoke` in this process forgets the key at
   * once, but another server process sharing the database may accept a revoked key for up to this long.
   */
  verifyCacheTtlMs?: number;
}

/** Name of the admin key a server creates on first start. */
export const BOOTSTRAP_ADMIN_KEY_NAME = 'admin';

const DEFAULT_TOUCH_INTERVAL_MS = 60_000;

/** Default lifetime of a cached successful verification (see {@link ApiKeyServiceOptions.verifyCacheTtlMs}). */
export const DEFAULT_VERIFY_CACHE_TTL_MS = 5_000;

// More distinct valid keys than this within one TTL is unusual: past it, the cache is emptied rather than grown.
const MAX_VERIFY_CACHE_ENTRIES = 10_000;

/** A successful verification remembered for a short while; never the raw key. */
interface CachedVerification {
  principal: Principal;
  lastUsedAt: string | null;
  expiresAt: number;
}

// Malformed keys get their own message (the client sent something that is not a modelplane key at
// all); everything else — unknown id, wrong secret, revoked — gets one message that does not say which.
const MALFORMED_MESSAGE =
  'The API key is malformed: modelplane API keys look like mp_<32 hex characters>_<43 characters>. Check MODELPLANE_API_KEY or `modelplane login`.';
const REJECTED_MESSAGE = 'The API key is unknown or revoked. Ask an admin for a valid key (`modelplane apikey create`).';

// Verifying an unknown id still computes and compares one hash, so an unknown id and a wrong secret
// take the same time.
const DUMMY_SALT = newSalt();
const DUMMY_HASH = hashApiKey('mp_dummy', newSalt());

// C0, DEL and C1 control characters, plus line/paragraph separators (as for model names).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/u;

/** Validates an API key name: 1–255 printable characters without leading or trailing spaces. */
export function validateApiKeyName(value: unknown): string {
  if (typeof value !== 'string') throw new ValidationError(`An API key name must be a string, got ${value === null ? 'null' : typeof value}.`);
  if (value.trim().length === 0) throw new ValidationError('An API key name must not be empty.');
  if (value.length > MAX_NAME_LENGTH) throw new ValidationError(`The API key name is ${value.length} characters long; the limit is ${MAX_NAME_LENGTH}.`);
  if (value !== value.trim()) throw new ValidationError(`The API key name ${JSON.stringify(value)} has leading or trailing spaces; remove them.`);
  const control = CONTROL.exec(value);
  if (control) {
    const code = control[0].codePointAt(0)!.toString(16).padStart(4, '0');
    throw new ValidationError(`The API key name ${JSON.stringify(value)} contains the control character U+${code}; use printable characters only.`);
  }
  return value;
}

/** Accepts a key id as a UUID (any case) or as the 32 hex characters that appear inside a key. */
function normalizeId(id: string): string {
  if (parseApiKey(id)) {
    // Never echo a raw key into an error message (and from there into logs).
    throw new ValidationError('That is an API key, not a key id: pass the id shown by `modelplane apikey list`.');
  }
  const compact = /^[0-9a-f]{32}$/i.test(id) ? id : null;
  if (compact) {
    const h = compact.toLowerCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  return id.toLowerCase();
}

function toRecord(row: ApiKeyPublicRow): ApiKeyRecord {
  return {
    id: row.id,
    name: row.name,
    role: parseRole(row.role),
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : new Date(row.last_used_at),
    revokedAt: row.revoked_at === null ? null : new Date(row.revoked_at),
  };
}

/**
 * Creates, lists, revokes and verifies API keys (DESIGN.md §4). Keys are stored only as a salted
 * HMAC-SHA256 (see `api-key-format.ts` for why that and not a slow password hash); the raw key is
 * returned once, by `create` and `ensureAdminKey`, and kept nowhere — not even in memory.
 */
export class ApiKeyService {
  readonly #store: Store;
  readonly #now: () => Date;
  readonly #touchIntervalMs: number;
  /** Per key id, when this process last tried to write `last_used_at` (ms): ids and times only. */
  readonly #lastTouch = new Map<string, number>();
  readonly #verifyCacheTtlMs: number;
  /**
   * Successful verifications by sha256(raw key) (hex), so that a hot key costs no database read. Only
   * successes are cached: failures always take the full, constant-time path. Trade-off: `revoke` in this
   * process drops the key's entries at once, but another server process on the same database may keep
   * accepting a revoked key for up to `verifyCacheTtlMs` (default 5 s).
   */
  readonly #verified = new Map<string, CachedVerification>();
  /** Bumped by every `revoke`: a verification whose read overlapped one is not cached. */
  #revocations = 0;

  constructor(store: Store, options: ApiKeyServiceOptions = {}) {
    this.#store = store;
    this.#now = options.now ?? (() => new Date());
    this.#touchIntervalMs = options.touchIntervalMs ?? DEFAULT_TOUCH_INTERVAL_MS;
    const ttl = options.verifyCacheTtlMs ?? DEFAULT_VERIFY_CACHE_TTL_MS;
    if (!Number.isFinite(ttl) || ttl < 0) throw new ValidationError(`verifyCacheTtlMs must be a finite number of milliseconds ≥ 0, got ${ttl}.`);
    this.#verifyCacheTtlMs = ttl;
  }

  /**
   * Creates a key. A name already used by a key that is not revoked is an `EntityExistsError`.
   * @example const { key } = await keys.create({ name: 'ci', role: 'editor' }) // print `key` once
   */
  async create(input: { name: string; role: Role }): Promise<CreatedApiKey> {
    const name = validateApiKeyName(input.name);
    const role = parseRole(input.role);
    return this.#insert(this.#store.db, generateApiKey(), name, role);
  }

  /** One page of keys, oldest first (revoked ones too unless `includeRevoked` is false). */
  async list(options: { includeRevoked?: boolean; page?: PageRequest } = {}): Promise<Page<ApiKeyRecord>> {
    const page = options.page ?? parsePageRequest();
    const { rows, total } = await listApiKeys(this.#store.db, { includeRevoked: options.includeRevoked ?? true, page });
    return { items: rows.map(toRecord), total, page: page.page, size: page.size };
  }

  /** The key with this id (a UUID, or the 32 hex characters inside the key); `NotFoundError` if none. */
  async get(id: string): Promise<ApiKeyRecord> {
    const row = await findApiKeyPublic(this.#store.db, normalizeId(id));
    if (!row) throw notFound(id);
    return toRecord(row);
  }

  /**
   * Revokes a key: it stops authenticating on the next request to this process, and on other server
   * processes within their verification cache TTL (5 s by default). Revoking a revoked key changes
   * nothing (its first revocation time stays). An unknown id is a `NotFoundError`.
   */
  async revoke(id: string): Promise<ApiKeyRecord> {
    const normalized = normalizeId(id);
    this.#revocations++;
    this.#forget(normalized);
    const found = await revokeApiKey(this.#store.db, normalized, this.#now().toISOString());
    // Again after the write, in case a verification that read the row before it was cached meanwhile.
    this.#revocations++;
    this.#forget(normalized);
    if (!found) throw notFound(id);
    return this.get(normalized);
  }

  /**
   * Checks a raw key and returns who it belongs to. Malformed keys, and keys that are unknown, revoked
   * or have the wrong secret, are an `AuthenticationError` (the latter three with one message that does
   * not say which). Cost: one primary-key read, one HMAC-SHA256, and at most once a minute per key one
   * UPDATE of `last_used_at` — or, for a key this process verified within the cache TTL, one sha256 and
   * a map lookup (see {@link ApiKeyServiceOptions.verifyCacheTtlMs}).
   */
  async verify(rawKey: unknown): Promise<Principal> {
    const parsed = parseApiKey(rawKey);
    if (!parsed) throw new AuthenticationError(MALFORMED_MESSAGE);
    const ttl = this.#verifyCacheTtlMs;
    const cacheKey = ttl > 0 ? createHash('sha256').update(parsed.key).digest('hex') : '';
    if (ttl > 0) {
      const hit = this.#verified.get(cacheKey);
      if (hit) {
        const ms = this.#now().getTime();
        if (ms < hit.expiresAt && ms >= hit.expiresAt - ttl) {
          await this.#touch(hit.principal.id, hit.lastUsedAt);
          return { ...hit.principal };
        }
        this.#verified.delete(cacheKey);
      }
    }
    const revocationsBefore = this.#revocations;
    const row = await findApiKey(this.#store.db, parsed.id);
    const matches = apiKeyHashMatches(parsed.key, row?.salt ?? DUMMY_SALT, row?.hash ?? DUMMY_HASH);
    if (!row || !matches || row.revoked_at !== null || !isRole(row.role)) throw new AuthenticationError(REJECTED_MESSAGE);
    const principal: Principal = { id: row.id, name: row.name, role: row.role };
    if (ttl > 0 && revocationsBefore === this.#revocations) {
      if (this.#verified.size >= MAX_VERIFY_CACHE_ENTRIES) this.#verified.clear();
      this.#verified.set(cacheKey, { principal: { ...principal }, lastUsedAt: row.last_used_at, expiresAt: this.#now().getTime() + ttl });
    }
    await this.#touch(row.id, row.last_used_at);
    return principal;
  }

  /** Drops every cached verification of the key with this id. */
  #forget(id: string): void {
    for (const [hash, entry] of this.#verified) {
      if (entry.principal.id === id) this.#verified.delete(hash);
    }
  }

  /**
   * For a server's first start: when no admin key is active, creates one named
   * {@link BOOTSTRAP_ADMIN_KEY_NAME} — the key in `rawFromEnv` (the value of `MODELPLANE_ADMIN_KEY`,
   * which must be a well-formed key) or a random one — and returns it so that the server can print it
   * once (a key from the environment is already known to the operator: print that it was taken, not
   * the key). Returns null when an admin key is active, including when another server process created
   * one a moment ago.
   */
  async ensureAdminKey(rawFromEnv?: string): Promise<BootstrapAdminKey | null> {
    let parsed: ParsedApiKey | null = null;
    if (rawFromEnv !== undefined && rawFromEnv !== '') {
      parsed = parseApiKey(rawFromEnv);
      if (!parsed) {
        throw new ValidationError(
          'MODELPLANE_ADMIN_KEY is not a valid modelplane API key: it must look like mp_<32 lowercase hex characters>_<43 base64url characters encoding 32 random bytes>. Unset it to have the server generate an admin key.',
        );
      }
    }
    const source = parsed ? 'environment' : 'generated';
    const chosen = parsed ?? generateApiKey();
    try {
      return await this.#store.transaction(async (trx) => {
        if (await hasActiveAdminKey(trx)) return null;
        if (parsed && (await findApiKey(trx, parsed.id))) {
          throw new ValidationError('MODELPLANE_ADMIN_KEY is a key this server already knows, revoked or not an admin key; set a new key, or unset it to have the server generate one.');
        }
        return { ...(await this.#insert(trx, chosen, BOOTSTRAP_ADMIN_KEY_NAME, 'admin')), source };
      });
    } catch (error) {
      // Another server process starting at the same time won the race (same name or same id).
      if (error instanceof EntityExistsError) {
        if (await hasActiveAdminKey(this.#store.db)) return null;
        throw new ConflictError(
          `No admin API key is active, and the name "${BOOTSTRAP_ADMIN_KEY_NAME}" is taken by an active key of another role; revoke that key so that the server can create its admin key.`,
        );
      }
      throw error;
    }
  }

  async #insert(db: Parameters<typeof insertApiKey>[1], chosen: ParsedApiKey, name: string, role: Role): Promise<CreatedApiKey> {
    const salt = newSalt();
    const row = {
      id: chosen.id,
      name,
      role,
      salt,
      hash: hashApiKey(chosen.key, salt),
      created_at: this.#now().toISOString(),
      last_used_at: null,
      revoked_at: null,
    };
    await insertApiKey(this.#store, db, row);
    return { key: chosen.key, record: toRecord(row) };
  }

  /**
   * Records use at most once per interval per key: this process skips keys it wrote (or tried to) within
   * the interval, and the UPDATE's own condition stops several processes from writing in the same one.
   * Best effort: `last_used_at` is informational and never fails a request that authenticated.
   */
  async #touch(id: string, lastUsedAt: string | null): Promise<void> {
    const now = this.#now();
    const ms = now.getTime();
    const staleBefore = ms - this.#touchIntervalMs;
    if (lastUsedAt !== null && Date.parse(lastUsedAt) > staleBefore) return;
    const tried = this.#lastTouch.get(id);
    if (tried !== undefined && tried > staleBefore && tried <= ms) return;
    this.#lastTouch.set(id, ms);
    try {
      await touchApiKey(this.#store.db, id, now.toISOString(), new Date(staleBefore).toISOString());
    } catch {
      // Busy database or lost connection: the next request a minute later tries again.
    }
  }
}

function notFound(id: string): NotFoundError {
  return new NotFoundError(`API key "${id}" not found. List keys with \`modelplane apikey list\`.`, { apiKey: id });
}
