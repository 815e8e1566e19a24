import { createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * The API key format and how keys are hashed.
 *
 * Format: `mp_<key id: 32 lowercase hex>_<secret: 32 random bytes, base64url without padding>`, 79
 * characters, e.g. `mp_3f2b…9c1d_Qx8…w`. The id is the row's UUID without dashes, so verifying a key is
 * one primary-key lookup plus one hash — never a scan over every key's hash. The `mp_` prefix makes keys
 * recognizable to secret scanners and to people. Note that base64url uses `_` too: keys are parsed by
 * position, never split on `_`.
 *
 * Hash: HMAC-SHA256 keyed with a per-key random 16-byte salt, over the whole key text. Why not a slow
 * password hash (scrypt, bcrypt, argon2)? Those exist to make guessing low-entropy, human-chosen
 * passwords expensive. Our secrets are 256 bits from the OS CSPRNG: even with a leaked database and a
 * hash as fast as SHA-256, finding a key by brute force takes ~2^255 attempts, which no amount of
 * hardware does. Meanwhile the server verifies a key on EVERY request: scrypt at safe settings costs
 * tens of milliseconds of CPU and ~16 MB of memory per call, which would cap a 2-core server at a few
 * dozen requests/s and hand anyone with garbage keys a denial-of-service lever. Measured on the 2-core
 * dev machine: HMAC-SHA256 + compare ≈ 3 µs, scrypt at Node's defaults (N=16384) ≈ 35 ms; a whole
 * `ApiKeyService.verify` ≈ 40 µs on SQLite and ≈ 230 µs on PostgreSQL (one round trip), see
 * api-key-format.test.ts and test/store/api-keys.test.ts, which print them. The per-key salt keeps equal hashes from
 * ever linking rows and rules out precomputed tables; the hash covers the id too, so a hash cannot be
 * moved onto another row. Comparison is constant-time (`timingSafeEqual`). Nothing is cached: every
 * verification re-reads the row, so a revocation takes effect on the next request on every server.
 */

/** Every key starts with this. */
export const API_KEY_PREFIX = 'mp_';
/** Random bytes in a key's secret part. */
export const API_KEY_SECRET_BYTES = 32;
/** Random bytes of salt per key. */
export const API_KEY_SALT_BYTES = 16;

const KEY_PATTERN = /^mp_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;
/** Length of every well-formed key. */
export const API_KEY_LENGTH = 3 + 32 + 1 + 43;

/** What a well-formed key holds. */
export interface ParsedApiKey {
  /** The key's row id, as a dashed UUID. */
  id: string;
  /** The whole key text (what is hashed). */
  key: string;
}

/** Builds the key text for a row id (dashed UUID) and its secret bytes. */
export function formatApiKey(id: string, secret: Buffer): string {
  return `${API_KEY_PREFIX}${id.replaceAll('-', '').toLowerCase()}_${secret.toString('base64url')}`;
}

/** A new random key and its row id. */
export function generateApiKey(id: string = randomUUID()): ParsedApiKey {
  return { id, key: formatApiKey(id, randomBytes(API_KEY_SECRET_BYTES)) };
}

/**
 * Parses a key, or returns null when it is not a well-formed modelplane key. Only the canonical
 * spelling is accepted (lowercase id, base64url secret that decodes to exactly 32 bytes and encodes back
 * to the same text), so each key has one spelling.
 */
export function parseApiKey(raw: unknown): ParsedApiKey | null {
  if (typeof raw !== 'string' || raw.length !== API_KEY_LENGTH) return null;
  const match = KEY_PATTERN.exec(raw);
  if (!match) return null;
  const [, hex, secret] = match as unknown as [string, string, string];
  const bytes = Buffer.from(secret, 'base64url');
  if (bytes.length !== API_KEY_SECRET_BYTES || bytes.toString('base64url') !== secret) return null;
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  return { id, key: raw };
}

/** A new random salt, hex. */
export function newSalt(): string {
  return randomBytes(API_KEY_SALT_BYTES).toString('hex');
}

/** The stored hash of `key` under `saltHex`, hex (64 characters). */
export function hashApiKey(key: string, saltHex: string): string {
  return hmac(key, saltHex).toString('hex');
}

function hmac(key: string, saltHex: string): Buffer {
  return createHmac('sha256', Buffer.from(saltHex, 'hex')).update(key, 'utf8').digest();
}

/**
 * True when `key` hashes to `hashHex` under `saltHex`, compared in constant time. A stored hash of the
 * wrong length (a damaged row) is a mismatch, not an exception.
 */
export function apiKeyHashMatches(key: string, saltHex: string, hashHex: string): boolean {
  const actual = hmac(key, saltHex);
  const expected = Buffer.from(hashHex, 'hex');
  if (expected.length !== actual.length) {
    timingSafeEqual(actual, actual);
    return false;
  }
  return timingSafeEqual(actual, expected);
}
