/**
 * JSON bodies read straight from node's request (`src/server/buffered-json-body.ts`) on a real socket:
 * the limit holds for declared and chunked bodies, a BOM is accepted, broken JSON is a 400 — all in the
 * one error shape.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { EmbeddedBackend } from '../../src/backend/embedded-backend.js';
import { createApp } from '../../src/server/app.js';

const LIMIT = 1024;
const dir = mkdtempSync(path.join(os.tmpdir(), 'mp-body-'));
let backend: EmbeddedBackend;
let server: ServerType;
let port: number;

beforeAll(async () => {
  backend = await EmbeddedBackend.open({ database: `sqlite://${path.join(dir, 'm.db')}`, artifacts: path.join(dir, 'a'), actor: 'test' });
  const app = createApp({ backend, auth: null, maxJsonBytes: LIMIT });
  port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, (info: AddressInfo) => resolve(info.port));
  });
});

afterAll(async () => {
  await new Promise((r) => server.close(r));
  await backend.close();
  rmSync(dir, { recursive: true, force: true });
});

/** POSTs `chunks` to /api/v1/models, chunked unless `declare` sends a Content-Length. */
function post(chunks: Array<string | Buffer>, declare: boolean): Promise<{ status: number; body: { error?: { code: string; message: string }; name?: string } }> {
  return new Promise((resolve, reject) => {
    const total = chunks.reduce((n, c) => n + Buffer.byteLength(c), 0);
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path: '/api/v1/models', headers: { 'content-type': 'application/json', ...(declare ? { 'content-length': total } : {}) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
      },
    );
    req.on('error', reject);
    for (const c of chunks) req.write(c);
    req.end();
  });
}

it('takes a body under the limit, declared or chunked, with or without a BOM', async () => {
  expect((await post([JSON.stringify({ name: 'declared' })], true)).status).toBe(201);
  expect((await post(['{"name":', '"chunked"}'], false)).status).toBe(201);
  const withBom = await post([Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"bom"}')])], true);
  expect([withBom.status, withBom.body.name]).toEqual([201, 'bom']);
});

it('answers 413 in the error shape past the limit, declared or chunked, and writes nothing', async () => {
  const big = JSON.stringify({ name: 'too-big', description: 'x'.repeat(LIMIT) });
  for (const declare of [true, false]) {
    const res = await post(declare ? [big] : [big.slice(0, 600), big.slice(600)], declare);
    expect(res.status).toBe(413);
    expect(res.body.error?.message).toMatch(/larger than the limit of 1024 bytes/);
  }
  await expect(backend.getModel('too-big')).rejects.toThrow(/not found/);
});

it('answers 400 to broken JSON', async () => {
  const res = await post(['{"name": "half'], true);
  expect(res.status).toBe(400);
  expect(res.body.error?.code).toBe('validation_error');
});
