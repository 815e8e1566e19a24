import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmbeddedBackend } from '../backend/embedded-backend.js';
import { createApp } from './app.js';
import { ApiKeyService } from './auth/api-key-service.js';
import { createRoleKeys } from '../../test/support/role-keys.js';

let home: string;
let backend: EmbeddedBackend;
let app: ReturnType<typeof createApp>;
const keys: Record<'admin' | 'editor' | 'viewer' | 'revoked', string> = { admin: '', editor: '', viewer: '', revoked: '' };
const logged: string[] = [];

beforeAll(async () => {
  home = await mkdtemp(path.join(os.tmpdir(), 'mp-server-app-'));
  backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(home, 'db.sqlite')}`, artifacts: path.join(home, 'artifacts') });
  const auth = new ApiKeyService(backend.store);
  Object.assign(keys, await createRoleKeys(auth));
  app = createApp({ backend, auth, log: (line) => logged.push(line), maxJsonBytes: 64 * 1024 });
  await backend.createModel({ name: 'm' });
  await backend.createModelVersion({ model: 'm' });
  await backend.createModelVersion({ model: 'm' });
});

afterAll(async () => {
  await backend.close();
  await rm(home, { recursive: true, force: true });
});

type Who = keyof typeof keys | null;

async function call(who: Who, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await app.request(`/api/v1${url}`, {
    method,
    headers: {
      ...(who ? { authorization: `Bearer ${keys[who]}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, json: json as { error?: { code: string; message: string; details?: unknown } } & Record<string, unknown>, text, headers: res.headers };
}

function expectErrorShape(r: { json: unknown; text: string }, code: string) {
  expect(r.json).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(Object.keys(r.json as object)).toEqual(['error']);
  expect(r.text).not.toMatch(/\n\s+at |\.ts:\d+/);
}

describe('authentication', () => {
  it('/health needs no key; everything else answers 401 without one', async () => {
    expect((await call(null, 'GET', '/health')).status).toBe(200);
    for (const [method, url] of [
      ['GET', '/models'],
      ['POST', '/models'],
      ['GET', '/models/m/versions/latest'],
      ['GET', '/api_keys'],
      ['POST', '/blobs'],
      ['GET', '/no/such/route'],
    ] as const) {
      const r = await call(null, method, url);
      expect(r.status, `${method} ${url}`).toBe(401);
      expectErrorShape(r, 'authentication_error');
      expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('rejects a revoked key, a malformed key and a non-Bearer header with 401', async () => {
    const revoked = await call('revoked', 'GET', '/models');
    expect(revoked.status).toBe(401);
    expectErrorShape(revoked, 'authentication_error');
    expect(revoked.json.error!.message).toMatch(/unknown or revoked/);
    expect((await call(null, 'GET', '/models', undefined, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await call(null, 'GET', '/models', undefined, { authorization: `Basic ${keys.admin}` })).status).toBe(401);
  });
});

describe('roles', () => {
  it('a viewer reads but may not write (403)', async () => {
    expect((await call('viewer', 'GET', '/models/m')).status).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/models', { name: 'v-model' }],
      ['PATCH', '/models/m', { description: 'x' }],
      ['POST', '/model_versions', { model: 'm' }],
      ['PATCH', '/models/m/versions/1', { stage: 'staging' }],
      ['DELETE', '/models/m', undefined],
      ['POST', '/runs', { pipelineName: 'p' }],
    ] as const) {
      const r = await call('viewer', method, url, body);
      expect(r.status, `${method} ${url}`).toBe(403);
      expectErrorShape(r, 'authorization_error');
    }
    const upload = await app.request('/api/v1/blobs', { method: 'POST', headers: { authorization: `Bearer ${keys.viewer}` }, body: 'bytes' });
    expect(upload.status).toBe(403);
  });

  it('an editor writes and promotes to staging, but not to production, and may not delete or manage keys', async () => {
    const staged = await call('editor', 'PATCH', '/models/m/versions/1', { stage: 'staging', reason: 'candidate' });
    expect(staged.status).toBe(200);
    expect(staged.json.stage).toBe('staging');
    const prod = await call('editor', 'PATCH', '/models/m/versions/1', { stage: 'production' });
    expect(prod.status).toBe(403);
    expectErrorShape(prod, 'authorization_error');
    expect(prod.json.error!.message).toMatch(/promote:production needs the role admin/);
    expect((await call('editor', 'DELETE', '/models/m')).status).toBe(403);
    expect((await call('editor', 'GET', '/api_keys')).status).toBe(403);
    expect((await call('editor', 'POST', '/api_keys', { name: 'x', role: 'admin' })).status).toBe(403);
    // The version is unchanged by the refused promotion; the history records the key's name.
    expect((await backend.getModelVersion('m', 1)).stage).toBe('staging');
    const history = await call('viewer', 'GET', '/models/m/stage_history');
    expect(history.json.items).toMatchObject([{ versionNumber: 1, toStage: 'staging', actor: 'ed', reason: 'candidate' }]);
  });

  it('an admin promotes to production, and an editor may then not move it out of production', async () => {
    expect((await call('admin', 'PATCH', '/models/m/versions/2', { stage: 'production' })).status).toBe(200);
    expect((await call('editor', 'PATCH', '/models/m/versions/2', { stage: 'archived' })).status).toBe(403);
    const history = (await call('admin', 'GET', '/models/m/stage_history?stage=production')).json.items as Array<{ actor: string }>;
    expect(history.map((t) => t.actor)).toEqual(['admin']);
  });

  it('admins manage keys: create shows the raw key once, list never does, revoke stops it', async () => {
    const created = await call('admin', 'POST', '/api_keys', { name: 'ci', role: 'editor' });
    expect(created.status).toBe(201);
    const raw = created.json.key as string;
    expect(raw).toMatch(/^mp_/);
    const list = await call('admin', 'GET', '/api_keys?size=1000');
    expect(list.text).not.toContain(raw);
    expect((list.json.items as Array<{ name: string }>).map((k) => k.name)).toContain('ci');
    const me = await app.request('/api/v1/api_keys/me', { headers: { authorization: `Bearer ${raw}` } });
    expect(await me.json()).toMatchObject({ name: 'ci', role: 'editor' });
    const id = (created.json.record as { id: string }).id;
    expect((await call('admin', 'DELETE', `/api_keys/${id}`)).json.revokedAt).toEqual(expect.any(String));
    const after = await app.request('/api/v1/models', { headers: { authorization: `Bearer ${raw}` } });
    expect(after.status).toBe(401);
    expect((await call('admin', 'POST', '/api_keys', { name: 'bad', role: 'owner' })).json.error!.message).toMatch(/Unknown role "owner"/);
  });
});

describe('errors and input', () => {
  it('maps domain errors to statuses with one shape', async () => {
    const nf = await call('admin', 'GET', '/models/ghost');
    expect(nf.status).toBe(404);
    expectErrorShape(nf, 'not_found');
    const dup = await call('admin', 'POST', '/models', { name: 'm' });
    expect(dup.status).toBe(409);
    expectErrorShape(dup, 'entity_exists');
    await call('admin', 'POST', '/model_versions', { model: 'm' });
    await call('admin', 'PATCH', '/models/m/versions/3', { stage: 'none' });
    const conflict = await call('admin', 'PATCH', '/models/m/versions/3', { stage: 'production' });
    expect(conflict.status).toBe(409);
    expectErrorShape(conflict, 'stage_conflict');
    expect(conflict.json.error!.details).toMatchObject({ holderNumber: 2 });
    const bad = await call('admin', 'POST', '/models', { name: 'a/b' });
    expect(bad.status).toBe(400);
    expectErrorShape(bad, 'validation_error');
  });

  it('answers malformed JSON, wrong types, unknown fields, non-JSON bodies and oversized bodies with 4xx', async () => {
    const cases: Array<[string, string, unknown, number, RegExp]> = [
      ['POST', '/models', '{"name": "x"', 400, /not valid JSON/],
      ['POST', '/models', { name: 42 }, 400, /"name" must be a string/],
      ['POST', '/models', { name: 'x', colour: 'red' }, 400, /unknown field.*"colour"/],
      ['POST', '/models', [1, 2], 400, /Invalid request body/],
      ['POST', '/models', 'null', 400, /Invalid request body/],
      ['PATCH', '/models/m/versions/1', { stage: 'latest' }, 400, /virtual/],
      ['PATCH', '/models/m/versions/1', { force: 'yes' }, 400, /"force" must be a boolean/],
      ['POST', '/models', { name: 'x'.repeat(100_000) }, 413, /larger than the limit/],
      ['GET', '/models/m/versions/0', undefined, 400, /invalid/],
      ['GET', '/models/m/stage_history?stage=production&at=yesterday', undefined, 400, /not a date/],
      ['POST', '/run_metadata', { targetType: 'model_version', targetId: 'x', metadata: {} }, 400, /at least one key/],
    ];
    for (const [method, url, body, status, message] of cases) {
      const r = await call('admin', method, url, body);
      expect(r.status, `${method} ${url} ${JSON.stringify(body)?.slice(0, 50)}`).toBe(status);
      expectErrorShape(r, status === 413 ? 'payload_too_large' : 'validation_error');
      expect(r.json.error!.message).toMatch(message);
    }
    const text = await app.request('/api/v1/models', { method: 'POST', headers: { authorization: `Bearer ${keys.admin}`, 'content-type': 'text/plain' }, body: 'name=x' });
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
    expect(((await text.json()) as { error: { code: string } }).error.code).toBe('validation_error');
    expect(logged).toEqual([]);
  });

  it('limits page sizes to 1000 and paginates', async () => {
    const tooBig = await call('admin', 'GET', '/models?size=1001');
    expect(tooBig.status).toBe(400);
    expect(tooBig.json.error!.message).toMatch(/1 to 1000/);
    expect((await call('admin', 'GET', '/models?size=0')).status).toBe(400);
    expect((await call('admin', 'GET', '/models?page=-1')).status).toBe(400);
    expect((await call('admin', 'GET', '/model_versions?model=m&size=1000000000')).status).toBe(400);
    const page = await call('admin', 'GET', '/model_versions?model=m&size=2&page=2');
    expect(page.json).toMatchObject({ total: 3, page: 2, size: 2 });
    expect(page.json.items).toHaveLength(1);
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const r = await call('admin', 'GET', '/nothing/here');
    expect(r.status).toBe(404);
    expectErrorShape(r, 'not_found');
    const outsideApi = await app.request('/api/elsewhere');
    expect(outsideApi.status).toBe(404);
    expectErrorShape({ json: await outsideApi.json(), text: '' }, 'not_found');
    // Outside /api a GET belongs to the dashboard (client-side routes); other methods are still 404.
    expect((await app.request('/elsewhere', { method: 'POST' })).status).toBe(404);
  });

  it('escapes "." and ".." names in path segments with a leading "~"', async () => {
    expect((await call('admin', 'POST', '/models', { name: '..' })).status).toBe(201);
    expect((await call('admin', 'GET', '/models/~..')).json.name).toBe('..');
    expect((await call('admin', 'GET', '/models/~')).status).toBe(404);
  });
});

describe('blobs', () => {
  it('streams an upload into the artifact store, verifying x-content-sha256, and streams it back', async () => {
    const { createHash } = await import('node:crypto');
    const bytes = Buffer.from('hello, modelplane');
    const hash = createHash('sha256').update(bytes).digest('hex');
    const wrong = await app.request('/api/v1/blobs', { method: 'POST', headers: { authorization: `Bearer ${keys.editor}`, 'x-content-sha256': '0'.repeat(64) }, body: bytes });
    expect(wrong.status).toBe(400);
    const ok = await app.request('/api/v1/blobs', { method: 'POST', headers: { authorization: `Bearer ${keys.editor}`, 'x-content-sha256': hash }, body: bytes });
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({ contentHash: hash, size: bytes.length });
    const av = await call('editor', 'POST', '/artifact_versions', { name: 'greeting', contentHash: hash, materializer: 'bytes', dataType: 'Buffer' });
    expect(av.status).toBe(201);
    const content = await app.request(`/api/v1/artifact_versions/${av.json.id as string}/content`, { headers: { authorization: `Bearer ${keys.viewer}` } });
    expect(content.status).toBe(200);
    expect(Buffer.from(await content.arrayBuffer()).toString()).toBe('hello, modelplane');
    const missing = await call('viewer', 'GET', `/blobs/${'a'.repeat(64)}`);
    expect(missing.status).toBe(404);
    expectErrorShape(missing, 'not_found');
  });
});

describe('OpenAPI document', () => {
  it('is valid JSON generated from the route schemas, listing every resource', async () => {
    const res = await app.request('/api/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    expect(doc.openapi).toMatch(/^3\./);
    const paths = Object.keys(doc.paths);
    for (const p of [
      '/health',
      '/models',
      '/models/{model}',
      '/models/{model}/versions/{selector}',
      '/models/{model}/stage_history',
      '/model_versions',
      '/model_versions/{id}',
      '/model_versions/get_or_create',
      '/model_versions/{id}/artifacts',
      '/model_versions/{id}/runs',
      '/artifact_versions',
      '/artifact_versions/{id}/content',
      '/blobs',
      '/runs',
      '/step_runs',
      '/step_runs/{id}/finish',
      '/step_runs/cached',
      '/run_metadata',
      '/api_keys',
      '/api_keys/{id}',
    ]) {
      expect(paths, p).toContain(p);
    }
    expect(Object.keys(doc.paths['/models/{model}/versions/{selector}']!)).toEqual(expect.arrayContaining(['get', 'patch']));
    const listModels = doc.paths['/models']!['get'] as { parameters: Array<{ name: string; schema: { maximum?: number } }> };
    expect(listModels.parameters.find((p) => p.name === 'size')!.schema.maximum).toBe(1000);
  });
});
