/**
 * A seeded fuzz run of malformed requests against the REST API (`createApp(...).request()`, no socket):
 * broken JSON, wrong types, oversized bodies, `..` / `%2e%2e` / control characters / very long strings in
 * names and path segments, unknown fields, bad page sizes, wrong methods and content types, random bytes
 * to the blob upload with a wrong sha256, missing / garbage / revoked / too-weak keys — across every route
 * family. Every answer must be a 4xx with the one error shape and no stack trace; afterwards the database
 * passes its integrity check and nothing half-written exists.
 *
 * Deterministic: a fixed seed (override with FUZZ_SEED) drives a small PRNG; a failure names the request.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../src/backend/embedded-backend.js';
import { createApp } from '../../src/server/app.js';
import { ApiKeyService } from '../../src/server/auth/api-key-service.js';
import { createRoleKeys } from '../support/role-keys.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20260105);
const REQUESTS = 2000;
const MAX_JSON = 16 * 1024;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const bytes = (n: number) => {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = int(256);
    return out;
  };
  return { next, int, pick, bytes, chance: (p: number) => next() < p };
}
type Rng = ReturnType<typeof prng>;

let home: string;
let backend: EmbeddedBackend;
let app: ReturnType<typeof createApp>;
const logged: string[] = [];
const keys = { admin: '', editor: '', viewer: '', revoked: '' };
const ids = { model: 'm', version: '', run: '', step: '', artifact: '', hash: '' };

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'mp-server-fuzz-'));
  backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(home, 'db.sqlite')}`, artifacts: path.join(home, 'artifacts') });
  const auth = new ApiKeyService(backend.store);
  Object.assign(keys, await createRoleKeys(auth));
  app = createApp({ backend, auth, log: (line) => logged.push(line), maxJsonBytes: MAX_JSON, maxFinishBytes: MAX_JSON });

  // Something real to aim at, so that bad input reaches the handlers of existing entities too.
  await backend.createModel({ name: 'm' });
  ids.version = (await backend.createModelVersion({ model: 'm' })).id;
  const upload = await app.request('/api/v1/blobs', { method: 'POST', headers: { authorization: `Bearer ${keys.admin}` }, body: 'hello' });
  ids.hash = ((await upload.json()) as { contentHash: string }).contentHash;
  const run = await backend.createPipelineRun({ pipelineName: 'p' });
  ids.run = run.id;
  ids.step = (await backend.createStepRun({ pipelineRunId: run.id, name: 's' })).id;
  ids.artifact = (await backend.createArtifactVersion({ name: 'a', contentHash: ids.hash, materializer: 'text', dataType: 'str' })).id;
});

afterAll(async () => {
  await backend?.close();
  if (home) await rm(home, { recursive: true, force: true });
});

// ── ingredients ────────────────────────────────────────────────────────────────────────────

const NASTY_STRINGS = [
  '..',
  '.',
  '../../etc/passwd',
  '..\\..\\windows',
  '%2e%2e',
  '%2e%2e%2f%2e%2e',
  '~..',
  'a\u0000b',
  '\u0007bell',
  'line\nbreak',
  'tab\tname',
  '\u001b[31mred',
  'sep\u2028arator',
  '\u0085nel',
  ' leading',
  'trailing ',
  '',
  '   ',
  'a/b',
  '<script>alert(1)</script>',
  "'; DROP TABLE models; --",
  '${jndi:ldap://x}',
  '\ud800',
  '🦄'.repeat(200),
  '__proto__',
  'constructor',
  'x'.repeat(256),
  'y'.repeat(10_000),
];

function nasty(rng: Rng): string {
  const s = rng.pick(NASTY_STRINGS);
  return rng.chance(0.1) ? s + String.fromCharCode(rng.int(32)) : s;
}

/** encodeURIComponent, with lone surrogates sent as the (invalid) UTF-8 bytes of one. */
function encode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    return `%ED%A0%80${encodeURIComponent(s.replace(/[\ud800-\udfff]/g, ''))}`;
  }
}

/**
 * A path segment that names nothing that exists: garbage, sometimes percent-encoded, sometimes raw. A raw
 * dot-segment (`..`, `%2e%2e`) is resolved by URL parsing, so in the middle of a path it would point at
 * another (real) route: `middle` segments use only the dot-free raw forms.
 */
function segment(rng: Rng, middle = false): string {
  const choice = rng.int(6);
  if (choice === 0) {
    const dotFree = ['~..', '%00', '%ff%fe', '%c0%ae%c0%ae', '%', '%zz', '%2e%2e%2f%2e%2e', '..%2f..'];
    return rng.pick(middle ? dotFree : [...dotFree, '..', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '.']);
  }
  if (choice === 1) return `${'z'.repeat(rng.pick([300, 3000, 20_000]))}`;
  if (choice === 2) return rng.pick(['00000000-0000-0000-0000-000000000000', 'not-a-uuid', '-1', '0', '99999999999999999999', 'NaN', 'null', 'undefined']);
  if (choice === 3) return encodeURIComponent(`x${String.fromCharCode(rng.int(32))}y`);
  const s = nasty(rng);
  return encode(s === '' || s === '..' || s === '.' ? `${s}q` : `q${s}`);
}

const BAD_PAGE_VALUES = ['0', '-1', '-100', '1.5', 'abc', '', ' ', '1e309', '99999999999999999999999', 'NaN', 'Infinity', '%00', '1;DROP'];
/** Sizes beyond the maximum page size are refused too. */
const BAD_SIZE_VALUES = [...BAD_PAGE_VALUES, '10001', '1000000', '4294967296'];

/** A query string with at least one bad `page` or `size`. */
function badPaging(rng: Rng): string {
  const badParam = () => (rng.chance(0.5) ? `page=${encodeURIComponent(rng.pick(BAD_PAGE_VALUES))}` : `size=${encodeURIComponent(rng.pick(BAD_SIZE_VALUES))}`);
  const bad = badParam();
  const extra = rng.chance(0.4) ? `&${badParam()}` : '';
  const junk = rng.chance(0.3) ? `&${encode(nasty(rng))}=${encode(nasty(rng))}` : '';
  return `?${bad}${extra}${junk}`;
}

const WRONG_TYPES: unknown[] = [42, -1, 1e308, true, false, [], ['a', 1], { nested: { deep: true } }, 3.14];

interface BodyRoute {
  method: string;
  path: () => string;
  /** A body that would be accepted (or reach the handler); it is always broken before sending. */
  template: () => Record<string, unknown>;
  /** Required string fields (a wrong type there is always invalid). */
  required: string[];
  /** String fields validated as names (a nasty name there is invalid when it is nasty enough). */
  names?: string[];
  finishLimit?: boolean;
}

function bodyRoutes(): BodyRoute[] {
  return [
    { method: 'POST', path: () => '/models', template: () => ({ name: 'fresh-model', description: 'd', tags: ['t'] }), required: ['name'], names: ['name'] },
    { method: 'PATCH', path: () => '/models/m', template: () => ({ description: 'x', addTags: ['a'] }), required: [] },
    { method: 'POST', path: () => '/model_versions', template: () => ({ model: 'm', name: 'v-fresh', tags: [] }), required: ['model'], names: ['name'] },
    { method: 'POST', path: () => '/model_versions/get_or_create', template: () => ({ model: 'm', name: 'v-goc' }), required: ['model', 'name'], names: ['name'] },
    { method: 'PATCH', path: () => `/model_versions/${ids.version}`, template: () => ({ stage: 'staging', reason: 'r' }), required: [] },
    { method: 'PATCH', path: () => '/models/m/versions/latest', template: () => ({ description: 'x' }), required: [] },
    { method: 'POST', path: () => '/runs', template: () => ({ pipelineName: 'pipe', parameters: { a: 1 } }), required: ['pipelineName'] },
    { method: 'PATCH', path: () => `/runs/${ids.run}`, template: () => ({ status: 'running' }), required: ['status'] },
    { method: 'POST', path: () => '/step_runs', template: () => ({ pipelineRunId: ids.run, name: 'step-fresh', inputs: {} }), required: ['pipelineRunId', 'name'] },
    { method: 'POST', path: () => `/step_runs/${ids.step}/finish`, template: () => ({ status: 'completed', logs: 'l' }), required: ['status'], finishLimit: true },
    { method: 'POST', path: () => '/run_metadata', template: () => ({ targetType: 'model_version', targetId: ids.version, metadata: { k: 1 } }), required: ['targetType', 'targetId'] },
    {
      method: 'POST',
      path: () => '/artifact_versions',
      template: () => ({ name: 'art-fresh', contentHash: ids.hash, materializer: 'text', dataType: 'str', metadata: { k: 'v' } }),
      required: ['name', 'contentHash', 'materializer', 'dataType'],
      names: ['name'],
    },
    { method: 'POST', path: () => '/api_keys', template: () => ({ name: 'fresh-key', role: 'viewer' }), required: ['name', 'role'], names: ['name'] },
  ];
}

/** Names that every name validator refuses. */
const INVALID_NAMES = ['', '   ', ' lead', 'trail ', 'a\u0000b', 'line\nbreak', '\u001b[31m', 'sep\u2028x', 'n'.repeat(256), 'z'.repeat(10_000)];

interface FuzzRequest {
  label: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
}

function auth(rng: Rng, headers: Record<string, string>, who: 'admin' | 'any' = 'admin'): string {
  if (who === 'admin' || rng.chance(0.75)) {
    headers.authorization = `Bearer ${keys.admin}`;
    return 'admin';
  }
  const choice = rng.int(9);
  switch (choice) {
    case 0:
      return 'no key';
    case 1:
      headers.authorization = `Bearer ${keys.revoked}`;
      return 'revoked key';
    case 2:
      headers.authorization = `Bearer mp_${'0'.repeat(32)}_${'A'.repeat(43)}`;
      return 'unknown key';
    case 3:
      headers.authorization = `Basic ${Buffer.from('admin:admin').toString('base64')}`;
      return 'basic auth';
    case 4:
      headers.authorization = rng.pick(['Bearer', 'Bearer ', 'bearer  x y', 'Token abc', '', 'Bearer mp_', `Bearer ${'k'.repeat(5000)}`, 'Bearer ../../etc']);
      return 'garbage key';
    case 5:
      headers.authorization = `Bearer ${keys.admin.slice(0, -1)}${keys.admin.endsWith('A') ? 'B' : 'A'}`;
      return 'wrong secret';
    case 6:
      headers.authorization = `Bearer ${keys.admin.toUpperCase()}`;
      return 'upper-cased key';
    default:
      headers.authorization = `Bearer ${keys.viewer}`;
      return 'viewer key';
  }
}

/** One malformed body request. */
function brokenBody(rng: Rng, route: BodyRoute): FuzzRequest {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  const who = auth(rng, headers, 'any');
  const body = route.template();
  // Noise that may or may not be valid on its own …
  if (rng.chance(0.5)) {
    const field = rng.pick(Object.keys(body));
    body[field] = rng.chance(0.5) ? nasty(rng) : rng.pick(WRONG_TYPES);
  }
  // … and one mistake that is always invalid.
  const kinds = ['unknown field', 'wrong type', 'broken json', 'not an object', 'oversized', 'content type', 'empty', 'deep', 'proto'];
  if (route.names) kinds.push('bad name', 'bad name');
  const kind = rng.pick(kinds);
  let text: string | undefined;
  switch (kind) {
    case 'unknown field':
      body[rng.pick(['extra', 'id2', 'createdAt', '$where', 'hash', 'salt', nasty(rng) || 'zz'])] = rng.pick([1, 'x', null, {}]);
      break;
    case 'wrong type': {
      const field = route.required.length > 0 ? rng.pick(route.required) : null;
      if (field) body[field] = rng.pick([42, true, [], {}, null, 1e308, ['x']]);
      else body[rng.pick(['addTags', 'removeTags', 'description'])] = rng.pick([42, 'not-an-array', { a: 1 }, [1, 2]]);
      if (!field) body.force = 'yes'; // PATCH bodies have no required field: a string `force` is always wrong
      break;
    }
    case 'broken json':
      text = rng.pick(['{', '{"name":', '{"name": "x",}', "{'name': 'x'}", '[1, 2', '{"a":1}}', 'nul', 'NaN', '{"name": "\\u00zz"}', '\u0000', '{"name": undefined}', '{"a": 01}']);
      break;
    case 'not an object':
      text = rng.pick(['[]', 'null', '42', '"string"', 'true', '[{"name":"x"}]']);
      break;
    case 'oversized': {
      const limit = MAX_JSON;
      body[rng.pick(Object.keys(body))] = 'o'.repeat(limit + 1 + rng.int(4 * limit));
      break;
    }
    case 'content type':
      headers['content-type'] = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream']);
      if (rng.chance(0.5)) text = 'name=x&role=admin';
      else body[`unknown_${rng.int(100)}`] = 1; // even if read as JSON, it is invalid
      break;
    case 'empty':
      text = rng.pick(['', ' ', '\n']);
      break;
    case 'deep':
      text = `${'['.repeat(5000)}${']'.repeat(5000)}`;
      break;
    case 'proto':
      text = JSON.stringify(body).replace(/^\{/, '{"__proto__": {"admin": true}, "constructor": {"prototype": {"x": 1}}, ');
      break;
    case 'bad name':
      body[rng.pick(route.names!)] = rng.pick(INVALID_NAMES);
      break;
  }
  return {
    label: `${route.method} ${route.path()} [${kind}, ${who}]`,
    method: route.method,
    url: route.path(),
    headers,
    body: text ?? JSON.stringify(body),
  };
}

/** GET-ish and DELETE requests at things that do not exist, or listings with bad paging. */
function badLookup(rng: Rng): FuzzRequest {
  const headers: Record<string, string> = {};
  const who = auth(rng, headers, 'any');
  const s = () => segment(rng);
  const m = () => segment(rng, true);
  const templates: Array<[string, () => string]> = [
    ['GET', () => `/models/${s()}`],
    ['DELETE', () => `/models/${s()}`],
    ['GET', () => `/models/${m()}/versions/${s()}`],
    ['GET', () => `/models/m/versions/${s()}`],
    ['PATCH', () => `/models/${m()}/versions/${s()}`],
    ['GET', () => `/models/${m()}/stage_history`],
    ['GET', () => `/model_versions/${s()}`],
    ['DELETE', () => `/model_versions/${s()}`],
    ['GET', () => `/model_versions/${m()}/artifacts`],
    ['GET', () => `/model_versions/${m()}/runs`],
    ['PUT', () => `/model_versions/${m()}/artifacts/${s()}`],
    ['PUT', () => `/model_versions/${ids.version}/artifacts/${s()}`],
    ['PUT', () => `/model_versions/${m()}/runs/${s()}`],
    ['PUT', () => `/model_versions/${ids.version}/runs/${s()}`],
    ['GET', () => `/runs/${s()}`],
    ['GET', () => `/runs/${m()}/step_runs`],
    ['GET', () => `/runs/${m()}/step_runs/${s()}`],
    ['GET', () => `/runs/${ids.run}/step_runs/${s()}`],
    ['GET', () => `/step_runs/${s()}`],
    ['POST', () => `/step_runs/${m()}/finish`],
    ['GET', () => `/artifact_versions/${s()}`],
    ['GET', () => `/artifact_versions/${m()}/content`],
    ['GET', () => `/blobs/${s()}`],
    ['GET', () => `/blobs/${'0'.repeat(64)}`],
    ['GET', () => `/blobs/${ids.hash.slice(0, 63)}g`],
    ['GET', () => `/blobs/..%2f..%2f..%2fdb.sqlite`],
    ['GET', () => `/api_keys/${s()}`],
    ['DELETE', () => `/api_keys/${s()}`],
    ['GET', () => `/models${badPaging(rng)}`],
    ['GET', () => `/model_versions${badPaging(rng)}&model=m`],
    ['GET', () => `/model_versions?model=${encode(nasty(rng))}x`],
    ['GET', () => `/model_versions`],
    ['GET', () => `/runs${badPaging(rng)}`],
    ['GET', () => `/runs/${ids.run}/step_runs${badPaging(rng)}`],
    ['GET', () => `/artifact_versions${badPaging(rng)}`],
    ['GET', () => `/artifact_versions?type=${encode(nasty(rng))}x`],
    ['GET', () => `/api_keys${badPaging(rng)}`],
    ['GET', () => `/api_keys?includeRevoked=${encode(rng.pick(['yes', '1', '', 'TRUE', nasty(rng)]))}`],
    ['GET', () => `/models/m/stage_history${badPaging(rng)}`],
    ['GET', () => `/model_versions/${ids.version}/artifacts${badPaging(rng)}`],
    ['GET', () => `/model_versions/${ids.version}/runs${badPaging(rng)}`],
    ['GET', () => `/step_runs/cached`],
    ['GET', () => `/artifact_versions/a?version=${encode(rng.pick(['0', '-1', 'abc', '1.5', '99999999999999999999', '', nasty(rng)]))}`],
  ];
  const [method, make] = rng.pick(templates);
  const url = make();
  return { label: `${method} ${url.slice(0, 120)} [${who}]`, method, url, headers };
}

/** Methods a route family does not have. */
function wrongMethod(rng: Rng): FuzzRequest {
  const headers: Record<string, string> = {};
  const who = auth(rng, headers, 'any');
  const table: Array<[string, string[]]> = [
    ['/models', ['PUT', 'DELETE', 'PATCH']],
    ['/models/m', ['PUT', 'POST']],
    ['/models/m/versions/latest', ['POST', 'PUT', 'DELETE']],
    ['/models/m/stage_history', ['POST', 'PUT', 'DELETE', 'PATCH']],
    ['/model_versions', ['PUT', 'DELETE', 'PATCH']],
    [`/model_versions/${ids.version}`, ['POST', 'PUT']],
    ['/model_versions/get_or_create', ['PUT', 'PATCH', 'DELETE']],
    ['/runs', ['PUT', 'DELETE', 'PATCH']],
    [`/runs/${ids.run}`, ['POST', 'PUT', 'DELETE']],
    ['/step_runs', ['GET', 'PUT', 'DELETE', 'PATCH']],
    [`/step_runs/${ids.step}`, ['POST', 'PUT', 'DELETE', 'PATCH']],
    [`/step_runs/${ids.step}/finish`, ['GET', 'PUT', 'DELETE']],
    ['/run_metadata', ['GET', 'PUT', 'DELETE', 'PATCH']],
    ['/artifact_versions', ['PUT', 'DELETE', 'PATCH']],
    [`/artifact_versions/${ids.artifact}`, ['POST', 'PUT', 'DELETE', 'PATCH']],
    ['/blobs', ['GET', 'PUT', 'DELETE', 'PATCH']],
    [`/blobs/${ids.hash}`, ['POST', 'PUT', 'DELETE', 'PATCH']],
    ['/api_keys', ['PUT', 'DELETE', 'PATCH']],
    ['/api_keys/me', ['POST', 'PUT', 'PATCH']],
    ['/maintenance/gc', ['GET', 'PUT', 'DELETE']],
    ['/maintenance/integrity', ['POST', 'PUT', 'DELETE']],
    ['/health', ['POST', 'PUT', 'DELETE', 'PATCH']],
    ['/openapi.json', ['POST', 'PUT', 'DELETE']],
    ['/no/such/route', ['GET', 'POST']],
    ['/', ['GET', 'POST']],
    ['', ['GET']],
    ['/../../etc/passwd', ['GET']],
    ['/%2e%2e/%2e%2e/etc/passwd', ['GET']],
    ['/models/m/versions/latest/extra/segments', ['GET']],
  ];
  const [url, methods] = rng.pick(table);
  const method = rng.pick([...methods, 'OPTIONS', 'PROPFIND', 'FOO']);
  const withBody = method !== 'GET' && rng.chance(0.5);
  if (withBody) headers['content-type'] = 'application/json';
  return { label: `${method} ${url} [wrong method, ${who}]`, method, url, headers, ...(withBody ? { body: '{"name":"x"}' } : {}) };
}

/** Random bytes to the blob upload, always with a wrong or malformed sha256. */
function badBlob(rng: Rng): FuzzRequest {
  const headers: Record<string, string> = { 'content-type': rng.pick(['application/octet-stream', 'application/json', 'text/plain']) };
  const who = auth(rng, headers, 'any');
  const body = rng.bytes(rng.pick([0, 1, 100, 4096, 70_000]));
  const real = createHash('sha256').update(body).digest('hex');
  const wrong = createHash('sha256').update(body).update('x').digest('hex');
  headers['x-content-sha256'] = rng.pick([wrong, wrong.toUpperCase(), real.slice(0, 63), `${real}0`, 'g'.repeat(64), 'sha256:' + real, '', ' ', '../../x', 'z']);
  return { label: `POST /blobs [${body.length} random bytes, sha ${headers['x-content-sha256'].slice(0, 12)}…, ${who}]`, method: 'POST', url: '/blobs', headers, body };
}

/** Writes by a viewer key: forbidden whatever the body. */
function viewerWrite(rng: Rng): FuzzRequest {
  const route = rng.pick(bodyRoutes());
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${keys.viewer}` };
  return { label: `${route.method} ${route.path()} [viewer, valid body]`, method: route.method, url: route.path(), headers, body: JSON.stringify(route.template()) };
}

function generate(rng: Rng): FuzzRequest {
  const roll = rng.next();
  if (roll < 0.45) return brokenBody(rng, rng.pick(bodyRoutes()));
  if (roll < 0.75) return badLookup(rng);
  if (roll < 0.87) return wrongMethod(rng);
  if (roll < 0.95) return badBlob(rng);
  return viewerWrite(rng);
}

// ── the run ────────────────────────────────────────────────────────────────────────────────

const STACK = /\n\s+at |\bat .+\(.*:\d+:\d+\)|\/src\/|\/node_modules\/|\.ts:\d+|\.js:\d+|file:\/\//;

describe(`fuzz: ${REQUESTS} malformed requests (seed ${SEED})`, () => {
  it('every answer is a 4xx with the error shape and no stack trace; the store stays consistent', async () => {
    const before = {
      versions: (await backend.listArtifactVersions({ size: 1000 })).total,
      models: (await backend.listModels({ size: 1000 })).total,
    };
    const rng = prng(SEED);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    for (let i = 0; i < REQUESTS; i++) {
      const req = generate(rng);
      let res: Response;
      try {
        res = await app.request(`/api/v1${req.url}`, { method: req.method, headers: req.headers, ...(req.body === undefined ? {} : { body: req.body }) });
      } catch (error) {
        failures.push(`#${i} ${req.label}: threw ${String(error)}`);
        continue;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const text = await res.text();
      const problems: string[] = [];
      // A dot-segment path like /api/v1/../../etc/passwd normalizes to a path outside the API: a GET
      // there is the dashboard's (index.html for client-side routes, or the page asking to build it).
      const landed = new URL(`/api/v1${req.url}`, 'http://localhost').pathname;
      if (!landed.startsWith('/api/') && (req.method === 'GET' || req.method === 'HEAD')) {
        if (res.status !== 200 || !/^text\/html/.test(res.headers.get('content-type') ?? '')) problems.push(`dashboard answered ${res.status}`);
        if (STACK.test(text)) problems.push('stack trace or file path in the body');
        if (problems.length > 0) failures.push(`#${i} ${req.label}: ${problems.join(', ')} — ${text.slice(0, 300)}`);
        continue;
      }
      if (res.status < 400 || res.status >= 500) problems.push(`status ${res.status}`);
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        problems.push('body is not JSON');
      }
      const error = (json as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
      if (typeof error?.code !== 'string' || typeof error.message !== 'string' || Object.keys(json as object).length !== 1) problems.push('not the error shape');
      if (STACK.test(text)) problems.push('stack trace or file path in the body');
      if (problems.length > 0) failures.push(`#${i} ${req.label}: ${problems.join(', ')} — ${text.slice(0, 300)}`);
    }
    const summary = [...statuses].sort((a, b) => a[0] - b[0]).map(([s, n]) => `${s}×${n}`).join(' ');
    expect(failures, `${failures.length} bad answers (statuses ${summary}):\n${failures.slice(0, 40).join('\n')}`).toEqual([]);
    expect(logged, 'nothing unexpected was logged').toEqual([]);
    // A broad mix of refusals: validation, auth, roles, missing things, too large.
    for (const status of [400, 401, 403, 404, 413]) expect(statuses.get(status) ?? 0, `${status} in ${summary}`).toBeGreaterThan(10);

    // Nothing was written, and nothing half-written remains.
    expect(await backend.checkIntegrity()).toEqual([]);
    expect((await backend.listModels({ size: 1000 })).total).toBe(before.models);
    const versions = await backend.listArtifactVersions({ size: 1000 });
    expect(versions.total).toBe(before.versions);
    for (const av of versions.items) {
      const reader = await backend.openBlobReader(av.contentHash);
      expect(reader.size).toBe(av.size);
    }
    const files: string[] = [];
    const walk = async (dir: string) => {
      for (const entry of await readdir(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) await walk(path.join(dir, entry.name));
        else files.push(path.relative(path.join(home, 'artifacts'), path.join(dir, entry.name)));
      }
    };
    await walk(path.join(home, 'artifacts'));
    expect(files, 'only the one real blob is stored: no temporary or rejected uploads').toEqual([expect.stringContaining(ids.hash)]);
  }, 60_000);
});
