import { randomBytes, randomUUID, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { API_KEY_LENGTH, apiKeyHashMatches, formatApiKey, generateApiKey, hashApiKey, newSalt, parseApiKey } from './api-key-format.js';

describe('API key format', () => {
  it('generates mp_<id without dashes>_<base64url 32 bytes> keys that parse back to their id', () => {
    for (let i = 0; i < 200; i++) {
      const { id, key } = generateApiKey();
      expect(key).toMatch(/^mp_[0-9a-f]{32}_[A-Za-z0-9_-]{43}$/);
      expect(key).toHaveLength(API_KEY_LENGTH);
      expect(key.slice(3, 35)).toBe(id.replaceAll('-', ''));
      expect(parseApiKey(key)).toEqual({ id, key });
    }
    // The secret may itself contain "_": parsing is positional.
    const id = randomUUID();
    const secret = Buffer.alloc(32, 0xff);
    const key = formatApiKey(id, secret);
    expect(key.endsWith(`_${secret.toString('base64url')}`)).toBe(true);
    expect(secret.toString('base64url')).toContain('_');
    expect(parseApiKey(key)?.id).toBe(id);
  });

  it('rejects anything but the canonical spelling', () => {
    const { key } = generateApiKey();
    const bad: unknown[] = [
      undefined,
      null,
      42,
      '',
      key.slice(0, -1),
      `${key}A`,
      ` ${key}`,
      `${key}\n`,
      key.toUpperCase(),
      `MP_${key.slice(3)}`,
      `mk_${key.slice(3)}`,
      key.replace(/^mp_/, 'mp-'),
      `${key.slice(0, 35)}-${key.slice(36)}`,
      `${key.slice(0, 36)}${Buffer.alloc(32, 0xff).toString('base64')}`.slice(0, API_KEY_LENGTH), // "+", "/"
      `${key.slice(0, 36)}${'A'.repeat(42)}B`, // last character carries bits outside the 32 bytes
      `mp_${'g'.repeat(32)}_${key.slice(36)}`,
      `Bearer ${key}`,
    ];
    for (const value of bad) expect(parseApiKey(value), JSON.stringify(value)).toBeNull();
    expect(parseApiKey(`${key.slice(0, 36)}${'A'.repeat(43)}`)).not.toBeNull();
  });

  it('hashes with a per-key salt and compares in constant time', () => {
    const { key } = generateApiKey();
    const salt = newSalt();
    const hash = hashApiKey(key, salt);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey(key, newSalt())).not.toBe(hash);
    expect(apiKeyHashMatches(key, salt, hash)).toBe(true);
    expect(apiKeyHashMatches(generateApiKey().key, salt, hash)).toBe(false);
    expect(apiKeyHashMatches(key, newSalt(), hash)).toBe(false);
    expect(apiKeyHashMatches(key, salt, hash.slice(0, 62))).toBe(false);
    expect(apiKeyHashMatches(key, salt, '')).toBe(false);
    expect(hash).not.toContain(key.slice(36));
  });

  it('costs microseconds per hash (a slow KDF would cost milliseconds on every request)', () => {
    const { key } = generateApiKey();
    const salt = newSalt();
    const hash = hashApiKey(key, salt);
    const n = 20_000;
    for (let i = 0; i < 1000; i++) apiKeyHashMatches(key, salt, hash);
    const start = process.hrtime.bigint();
    for (let i = 0; i < n; i++) apiKeyHashMatches(key, salt, hash);
    const hmacUs = Number(process.hrtime.bigint() - start) / n / 1000;
    const scryptStart = process.hrtime.bigint();
    for (let i = 0; i < 5; i++) scryptSync(key, randomBytes(16), 32); // Node's defaults: N=16384, r=8, p=1
    const scryptUs = Number(process.hrtime.bigint() - scryptStart) / 5 / 1000;
    console.log(`API key hash: HMAC-SHA256 ${hmacUs.toFixed(2)} µs per verify; scrypt (N=16384) ${(scryptUs / 1000).toFixed(1)} ms`);
    expect(hmacUs).toBeLessThan(200);
    expect(scryptUs).toBeGreaterThan(hmacUs * 100);
  });
});
