/**
 * `modelplane apikey create | list | revoke` against a real in-process server (`startServer`, auth on,
 * SQLite + local disk), with the CLI run in this process (`runCli`, captured streams, injected env).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/wrapper.js';
import { startServer, type RunningServer } from '../../src/server/start-server.js';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

async function run(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, stdinIsTTY: false, stdin: () => process.stdin, env: { ...env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

let dir: string;
let server: RunningServer;
let adminEnv: Record<string, string>;

function envFor(key: string): Record<string, string> {
  return { MODELPLANE_HOME: path.join(dir, 'home'), MODELPLANE_URL: server.url, MODELPLANE_API_KEY: key, NO_COLOR: '1', PATH: process.env.PATH ?? '' };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'modelplane-apikey-'));
  server = await startServer({ database: `sqlite://${path.join(dir, 'registry.db')}`, artifactStore: path.join(dir, 'artifacts'), host: '127.0.0.1', port: 0, auth: true, log: () => undefined });
  expect(server.adminKey).toMatch(/^mp_/);
  adminEnv = envFor(server.adminKey!);
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('modelplane apikey against a real server', () => {
  it('create prints the key once with a note; list never shows hashes; revoke makes the key fail with 401', async () => {
    const created = await run(['apikey', 'create', '--name', 'ci', '--role', 'editor'], adminEnv);
    expect(created, created.stderr).toMatchObject({ code: 0 });
    const key = /^(mp_[0-9a-f]{32}_\S+)$/m.exec(created.stdout)?.[1];
    expect(key).toBeDefined();
    expect(created.stdout).toContain('Created API key "ci" (role editor');
    expect(created.stderr).toMatch(/shown only once/);

    const json = await run(['apikey', 'create', '--name', 'dash', '--role', 'viewer', '--output', 'json'], adminEnv);
    expect(json.code, json.stderr).toBe(0);
    const parsed = JSON.parse(json.stdout) as { key: string; record: Record<string, unknown> };
    expect(parsed.key).toMatch(/^mp_[0-9a-f]{32}_/);
    expect(Object.keys(parsed.record).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role']);
    expect(parsed.record).toMatchObject({ name: 'dash', role: 'viewer', revokedAt: null });

    // the new key works: it lists models
    const editorWorks = await fetch(`${server.url}/api/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(editorWorks.status).toBe(200);

    for (const format of ['table', 'json', 'yaml', 'csv'] as const) {
      const listed = await run(['apikey', 'list', '--output', format], adminEnv);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain('ci');
      expect(listed.stdout).toContain('dash');
      expect(listed.stdout).not.toMatch(/hash|salt/i);
      expect(listed.stdout).not.toContain(key!.slice(36));
      expect(listed.stdout).not.toContain(parsed.key.slice(36));
    }
    const page = JSON.parse((await run(['apikey', 'list', '--output', 'json'], adminEnv)).stdout) as { items: Array<Record<string, unknown>>; total: number };
    expect(page.total).toBe(3); // admin, ci, dash
    for (const item of page.items) expect(Object.keys(item).sort()).toEqual(['createdAt', 'id', 'lastUsedAt', 'name', 'revokedAt', 'role']);
    const ci = page.items.find((k) => k.name === 'ci')!;

    const revoked = await run(['apikey', 'revoke', String(ci.id)], adminEnv);
    expect(revoked, revoked.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(`Revoked API key "ci"`);

    const active = JSON.parse((await run(['apikey', 'list', '--active', '--output', 'json'], adminEnv)).stdout) as { items: Array<{ name: string }> };
    expect(active.items.map((k) => k.name).sort()).toEqual(['admin', 'dash']);

    // the revoked key: every command fails with the server's 401 message, one line
    const denied = await run(['apikey', 'list'], envFor(key!));
    expect(denied.code).toBe(1);
    expect(denied.stdout).toBe('');
    expect(denied.stderr.trim().split('\n')).toHaveLength(1);
    expect(denied.stderr).toMatch(/^error: The API key is unknown or revoked/);
    const raw = await fetch(`${server.url}/api/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect(raw.status).toBe(401);

    // revoking an unknown id: exit 1, one line
    const unknown = await run(['apikey', 'revoke', '00000000-0000-0000-0000-000000000000'], adminEnv);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/^error: API key "00000000-0000-0000-0000-000000000000" not found/);
  });

  it('a viewer key cannot create keys: exit 1, one line', async () => {
    const created = JSON.parse((await run(['apikey', 'create', '--name', 'reader', '--role', 'viewer', '--output', 'json'], adminEnv)).stdout) as { key: string };
    const r = await run(['apikey', 'create', '--name', 'sneaky', '--role', 'admin'], envFor(created.key));
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^error: The API key "reader" has the role viewer; manage_keys needs the role admin/);
    const listed = await run(['apikey', 'list'], envFor(created.key));
    expect(listed.code).toBe(1);
  });

  it('usage mistakes exit 2; a duplicate name is the server message', async () => {
    expect((await run(['apikey', 'create', '--role', 'viewer'], adminEnv)).code).toBe(2);
    expect((await run(['apikey', 'create', '--name', 'x'], adminEnv)).code).toBe(2);
    const badRole = await run(['apikey', 'create', '--name', 'x', '--role', 'root'], adminEnv);
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toContain('use one of viewer, editor, admin');
    expect((await run(['apikey', 'create', '--name', 'twin', '--role', 'viewer'], adminEnv)).code).toBe(0);
    const twin = await run(['apikey', 'create', '--name', 'twin', '--role', 'viewer'], adminEnv);
    expect(twin.code).toBe(1);
    expect(twin.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('against an embedded store: exit 1 with a clear message', async () => {
    const embedded = { MODELPLANE_HOME: path.join(dir, 'embedded'), NO_COLOR: '1', PATH: process.env.PATH ?? '' };
    for (const args of [['apikey', 'create', '--name', 'n', '--role', 'viewer'], ['apikey', 'list'], ['apikey', 'revoke', 'abc']]) {
      const r = await run(args, embedded);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).toMatch(/^error: API keys belong to a modelplane server, and the active store is embedded/);
    }
  });

  it('an unreachable server: exit 1, one line', async () => {
    const r = await run(['apikey', 'list'], { ...adminEnv, MODELPLANE_URL: 'http://127.0.0.1:1' });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: cannot reach http:\/\/127\.0\.0\.1:1/);
  });
});
