/**
 * The server-side commands: `login` / `logout` / `status` (the config file, $MODELPLANE_HOME/config.json,
 * and which store is active), and `server` / `up` as real processes (URL printed, /api/v1/health
 * answered, the admin key printed once on first start only, exit 0 on SIGTERM).
 *
 * Two kinds of test:
 * - the CLI run in this process (`runCli` with captured streams and an injected environment) against a
 *   tiny stand-in HTTP server that answers like modelplane's health and auth: they check the CLI's own
 *   logic and always run;
 * - against the real server (`startServer` of src/server/start-server.ts, in-process for login, or the
 *   built `modelplane server` / `modelplane up` binary): they run once that module exists, and are
 *   skipped until then.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isLoopback } from '../../src/cli/serve.js';
import { runCli } from '../../src/cli/wrapper.js';
import { BIN, cli, ensureBuilt, REPO, tempHome } from './helpers.js';

/** Whether the server module has landed (the tests that need a real server are skipped until it has). */
const START_SERVER = path.join(REPO, 'src', 'server', 'start-server.ts');
const HAVE_SERVER = existsSync(START_SERVER);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(): { stream: Writable & { isTTY?: boolean }; text(): string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

/** `modelplane ARGS` in this process, with `env` as its whole environment and no terminal. */
async function run(args: readonly string[], env: Record<string, string>): Promise<Run> {
  const stdout = sink();
  const stderr = sink();
  const code = await runCli(args, { stdout: stdout.stream, stderr: stderr.stream, stdinIsTTY: false, stdin: () => process.stdin, env: { ...env } });
  return { code, stdout: stdout.text(), stderr: stderr.text() };
}

const GOOD_KEY = `mp_${'ab'.repeat(16)}_${'x'.repeat(43)}`;
const WRONG_KEY = `mp_${'cd'.repeat(16)}_${'y'.repeat(43)}`;

/** A stand-in that answers like a modelplane server: /health open, /models only with GOOD_KEY. */
async function fakeServer(): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/api/v1/health') return json(200, { status: 'ok' });
    if (req.url?.startsWith('/api/v1/models')) {
      if (req.headers.authorization !== `Bearer ${GOOD_KEY}`) return json(401, { error: { code: 'authentication_error', message: 'invalid API key' } });
      return json(200, { items: [], total: 0, page: 1, size: 1 });
    }
    return json(404, { error: { code: 'not_found', message: 'no such route' } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** A URL on which nothing listens (a port just freed). */
async function deadUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

let home: string;
let env: Record<string, string>;
let configFile: string;

beforeEach(() => {
  home = mkdtempSync(path.join(os.tmpdir(), 'modelplane-login-'));
  env = { MODELPLANE_HOME: home, MODELPLANE_ACTOR: 'cli-tester', NO_COLOR: '1', PATH: process.env.PATH ?? '' };
  configFile = path.join(home, 'config.json');
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

describe('login, status, logout (against a stand-in server)', () => {
  let fake: Awaited<ReturnType<typeof fakeServer>>;
  beforeAll(async () => {
    fake = await fakeServer();
  });
  afterAll(() => fake.close());

  it('status shows the embedded store when nobody logged in', async () => {
    const table = await run(['status'], env);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout).toContain('Embedded store');
    expect(table.stdout).toContain(home);
    expect(table.stdout).toContain(`sqlite://${path.join(home, 'modelplane.db')}`);
    expect(table.stdout).toContain(path.join(home, 'artifacts'));

    const json = await run(['status', '--output', 'json'], env);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      kind: 'embedded',
      source: 'env',
      home,
      database: `sqlite://${path.join(home, 'modelplane.db')}`,
      artifacts: path.join(home, 'artifacts'),
      configFile,
    });
    expect(existsSync(path.join(home, 'modelplane.db'))).toBe(false); // status opens no store
  });

  it('login checks the server and the key, writes the config file (0600); status shows the server; logout removes it', async () => {
    const login = await run(['login', `${fake.url}/`, '--api-key', GOOD_KEY], env);
    expect(login, login.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toContain(`Logged in to ${fake.url}`);
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ url: fake.url, apiKey: GOOD_KEY });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    expect(fake.requests).toEqual(expect.arrayContaining(['GET /api/v1/health -', `GET /api/v1/models?size=1 Bearer ${GOOD_KEY}`]));

    const status = await run(['status', '--output', 'json'], env);
    expect(status.code).toBe(0);
    const shown = JSON.parse(status.stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({ kind: 'server', source: 'config-file', url: fake.url, configFile, reachable: true, keyAccepted: true });
    expect(status.stdout).not.toContain(GOOD_KEY.slice(12)); // the secret part of the key is never printed
    const table = await run(['status'], env);
    expect(table.stdout).toMatch(/url\s+http:\/\/127\.0\.0\.1:\d+/);
    expect(table.stdout).toMatch(/reachable\s+yes/);
    expect(table.stdout).toMatch(/key accepted\s+yes/);

    const logout = await run(['logout'], env);
    expect(logout).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(configFile)).toBe(false);
    expect(JSON.parse((await run(['status', '--output', 'json'], env)).stdout)).toMatchObject({ kind: 'embedded' });
    expect((await run(['logout'], env)).stdout).toContain('Not logged in');
  });

  it('a second login replaces the first atomically (no temporary files left)', async () => {
    writeFileSync(configFile, JSON.stringify({ url: 'http://old.example.com', apiKey: 'old' }), { mode: 0o644 });
    expect((await run(['login', fake.url, '--api-key', GOOD_KEY], env)).code).toBe(0);
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ url: fake.url, apiKey: GOOD_KEY });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(home)).toEqual(['config.json']);
  });

  it('a wrong key: exit 1, one line, nothing written', async () => {
    const r = await run(['login', fake.url, '--api-key', WRONG_KEY], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: the server at http:\/\/127\.0\.0\.1:\d+ does not accept this API key \(401 Unauthorized\) — nothing was saved\.\n$/);
    expect(existsSync(configFile)).toBe(false);
  });

  it('an unreachable URL: exit 1, one line, nothing written', async () => {
    const url = await deadUrl();
    const r = await run(['login', url, '--api-key', GOOD_KEY], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot reach ${url}: connection refused — nothing was saved.\n`);
    expect(existsSync(configFile)).toBe(false);
  });

  it('a URL that is not a modelplane server: exit 1, nothing written', async () => {
    const r = await run(['login', `${fake.url}/not-here`, '--api-key', GOOD_KEY], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: GET http:\/\/127\.0\.0\.1:\d+\/not-here\/api\/v1\/health answered HTTP 404: is this a modelplane server\? — nothing was saved\.\n$/);
    expect(existsSync(configFile)).toBe(false);
  });

  it('usage mistakes exit 2: bad URL, missing key', async () => {
    for (const [args, message] of [
      [['login', 'not a url', '--api-key', GOOD_KEY], /^error: argument 'url' is invalid: 'not a url' is not a URL/],
      [['login', 'ftp://example.com', '--api-key', GOOD_KEY], /^error: argument 'url' is invalid: 'ftp:\/\/example.com' is not an http\(s\) URL/],
      [['login', 'http://user:pw@example.com', '--api-key', GOOD_KEY], /contains credentials/],
      [['login', fake.url], /^error: missing required option '--api-key <key>'/],
    ] as const) {
      const r = await run(args, env);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).toContain('usage: modelplane login');
    }
    expect(existsSync(configFile)).toBe(false);
  });

  it('status: an unreachable server or a refused key exit 1 after printing the status', async () => {
    const url = await deadUrl();
    const down = await run(['status', '--output', 'json'], { ...env, MODELPLANE_URL: url, MODELPLANE_API_KEY: GOOD_KEY });
    expect(down.code).toBe(1);
    expect(JSON.parse(down.stdout)).toMatchObject({ kind: 'server', source: 'env', url, reachable: false, keyAccepted: null });
    expect(down.stderr).toBe(`error: cannot reach ${url}: connection refused\n`);

    const refused = await run(['status'], { ...env, MODELPLANE_URL: fake.url, MODELPLANE_API_KEY: WRONG_KEY });
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/reachable\s+yes/);
    expect(refused.stdout).toMatch(/key accepted\s+no/);
    expect(refused.stderr).toMatch(/does not accept this API key/);
  });

  it('status: a broken config file is one clear line, and logout still removes it', async () => {
    writeFileSync(configFile, '{oops');
    const r = await run(['status'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: The modelplane config file ${configFile} is invalid (not JSON): run 'modelplane login URL --api-key KEY' again, or 'modelplane logout' to remove it.\n`);
    expect((await run(['logout'], env)).code).toBe(0);
    expect(existsSync(configFile)).toBe(false);
  });
});

describe('server and up: usage checks', () => {
  it('server needs --database and --artifact-store; S3 options need an s3:// store', async () => {
    const noDb = await run(['server', '--artifact-store', 'file:///tmp/x'], env);
    expect(noDb.code).toBe(2);
    expect(noDb.stderr).toMatch(/^error: missing required option '--database <url>'/);
    const noStore = await run(['server', '--database', 'sqlite:///tmp/x.db'], env);
    expect(noStore.code).toBe(2);
    expect(noStore.stderr).toMatch(/^error: missing required option '--artifact-store <uri>'/);
    const s3opts = await run(['server', '--database', 'sqlite:///tmp/x.db', '--artifact-store', '/tmp/a', '--s3-path-style'], env);
    expect(s3opts.code).toBe(2);
    expect(s3opts.stderr).toMatch(/apply to an s3:\/\/ artifact store/);
    const badPort = await run(['server', '--database', 'sqlite:///tmp/x.db', '--artifact-store', '/tmp/a', '--port', '70000'], env);
    expect(badPort.code).toBe(2);
  });

  it('up refuses a non-loopback address without --auth', async () => {
    const r = await run(['up', '--host', '0.0.0.0'], env);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: refusing to serve the embedded store without authentication on 0\.0\.0\.0/);
    expect(existsSync(path.join(home, 'modelplane.db'))).toBe(false);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', 'LOCALHOST']) expect(isLoopback(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.5', '10.0.0.1', 'example.com', '128.0.0.1']) expect(isLoopback(h), h).toBe(false);
  });
});

// ── against the real server ──────────────────────────────────────────────────────────────────

describe.skipIf(!HAVE_SERVER)('login against a real server (in-process startServer)', () => {
  let dir: string;
  let server: { url: string; port: number; adminKey: string | null; close(): Promise<void> };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'modelplane-login-server-'));
    // A variable specifier: this file must load (and skip) while the module does not exist yet.
    const modulePath: string = START_SERVER;
    const { startServer } = (await import(/* @vite-ignore */ modulePath)) as {
      startServer(options: { database: string; artifactStore: string; host?: string; port?: number; auth: boolean; log?: (line: string) => void }): Promise<typeof server>;
    };
    server = await startServer({ database: `sqlite://${path.join(dir, 'registry.db')}`, artifactStore: path.join(dir, 'artifacts'), host: '127.0.0.1', port: 0, auth: true, log: () => undefined });
    expect(server.adminKey).toMatch(/^mp_/);
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('login writes the config file (0600) and status shows the server; logout removes it', async () => {
    const login = await run(['login', server.url, '--api-key', server.adminKey!], env);
    expect(login, login.stderr).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(readFileSync(configFile, 'utf8'))).toEqual({ url: server.url.replace(/\/+$/, ''), apiKey: server.adminKey });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);

    const status = await run(['status', '--output', 'json'], env);
    expect(status.code, status.stderr).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ kind: 'server', source: 'config-file', reachable: true, keyAccepted: true });

    expect((await run(['logout'], env)).code).toBe(0);
    expect(existsSync(configFile)).toBe(false);
  });

  it('a wrong key: exit 1, nothing written', async () => {
    const r = await run(['login', server.url, '--api-key', WRONG_KEY], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*401 Unauthorized.* — nothing was saved\.\n$/);
    expect(existsSync(configFile)).toBe(false);
  });

  it('the built CLI logs in too', async () => {
    ensureBuilt();
    const cliHome = tempHome();
    try {
      const r = await cli(['login', server.url, '--api-key', server.adminKey!], { home: cliHome });
      expect(r, r.stderr).toMatchObject({ code: 0 });
      expect(statSync(path.join(cliHome, 'config.json')).mode & 0o777).toBe(0o600);
      const status = await cli(['status', '--output', 'json'], { home: cliHome });
      expect(JSON.parse(status.stdout)).toMatchObject({ kind: 'server', reachable: true, keyAccepted: true });
      // From now on the registry commands go to the server: a model registered through it is listed there.
      expect((await cli(['model', 'register', 'login_check'], { home: cliHome })).code).toBe(0);
      const listed = await cli(['model', 'list', '--output', 'json'], { home: cliHome });
      expect((JSON.parse(listed.stdout) as { items: Array<{ name: string }> }).items.map((m) => m.name)).toContain('login_check');
      expect(existsSync(path.join(cliHome, 'modelplane.db'))).toBe(false); // nothing embedded was opened
    } finally {
      rmSync(cliHome, { recursive: true, force: true });
    }
  });
});

interface Started {
  child: ChildProcessWithoutNullStreams;
  url: string;
  /** Everything printed on stdout until the URL line and shortly after. */
  stdout(): string;
  stderr(): string;
  exited: Promise<number | null>;
}

/** Spawns the built `modelplane ARGS` and resolves once it printed the URL it listens on. */
function startCli(args: readonly string[], env: Record<string, string>): Promise<Started> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env };
  for (const key of Object.keys(childEnv)) if (key.startsWith('MODELPLANE_') || key.startsWith('VITEST') || key === 'NODE_OPTIONS') delete childEnv[key];
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...childEnv, NO_COLOR: '1', ...env }, cwd: REPO, stdio: 'pipe' });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL within 30s:\n${out}\n${err}`)), 30_000);
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      // Wait for the whole banner (it ends with the Ctrl+C line).
      if (match && out.includes('Press Ctrl+C to stop.')) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!.replace(/\/+$/, ''), stdout: () => out, stderr: () => err, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`exited ${code} before printing a URL:\n${out}\n${err}`));
    });
  });
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGTERM');
  return started.exited;
}

describe.skipIf(!HAVE_SERVER)('server and up as processes (built CLI)', () => {
  let dir: string;
  beforeAll(() => {
    ensureBuilt();
    dir = mkdtempSync(path.join(os.tmpdir(), 'modelplane-serve-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('server: prints the URL, answers /health, prints the admin key on the first start only, exits 0 on SIGTERM', async () => {
    const args = ['server', '--database', `sqlite://${path.join(dir, 'server.db')}`, '--artifact-store', `file://${path.join(dir, 'server-artifacts')}`, '--port', '0'];
    const first = await startCli(args, {});
    let key: string | undefined;
    try {
      const health = await fetch(`${first.url}/api/v1/health`);
      expect(health.status).toBe(200);
      key = /Admin API key: (\S+)/.exec(first.stdout())?.[1];
      expect(key, first.stdout()).toMatch(/^mp_/);
      expect(first.stdout()).toContain('shown only once');
      // Auth is on: the key works, nothing else does.
      expect((await fetch(`${first.url}/api/v1/models?size=1`)).status).toBe(401);
      expect((await fetch(`${first.url}/api/v1/models?size=1`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    } finally {
      expect(await stop(first)).toBe(0);
    }

    const second = await startCli(args, {});
    try {
      expect((await fetch(`${second.url}/api/v1/health`)).status).toBe(200);
      expect(second.stdout()).not.toContain('Admin API key');
      expect((await fetch(`${second.url}/api/v1/models?size=1`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(200);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it('server: MODELPLANE_ADMIN_KEY is used and never printed', async () => {
    const fixed = `mp_${randomBytes(16).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const args = ['server', '--database', `sqlite://${path.join(dir, 'fixed.db')}`, '--artifact-store', path.join(dir, 'fixed-artifacts'), '--port', '0'];
    const started = await startCli(args, { MODELPLANE_ADMIN_KEY: fixed });
    try {
      expect(started.stdout()).not.toContain('Admin API key');
      expect(started.stdout() + started.stderr()).not.toContain(fixed);
      expect((await fetch(`${started.url}/api/v1/models?size=1`, { headers: { authorization: `Bearer ${fixed}` } })).status).toBe(200);
    } finally {
      expect(await stop(started)).toBe(0);
    }
  });

  it('up: serves the embedded store of MODELPLANE_HOME on loopback without auth, exits 0 on SIGTERM', async () => {
    const upHome = path.join(dir, 'up-home');
    const started = await startCli(['up', '--port', '0'], { MODELPLANE_HOME: upHome });
    try {
      expect(started.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect((await fetch(`${started.url}/api/v1/health`)).status).toBe(200);
      expect(started.stdout()).not.toContain('Admin API key');
      // No auth on loopback: a listing answers without a key.
      expect((await fetch(`${started.url}/api/v1/models?size=1`)).status).toBe(200);
    } finally {
      expect(await stop(started)).toBe(0);
    }
    expect(existsSync(path.join(upHome, 'modelplane.db'))).toBe(true);
  });

  it('up --auth: prints the admin key once, and not on the second start', async () => {
    const upHome = path.join(dir, 'up-auth-home');
    const first = await startCli(['up', '--port', '0', '--auth'], { MODELPLANE_HOME: upHome });
    try {
      expect(first.stdout()).toMatch(/Admin API key: mp_/);
      expect((await fetch(`${first.url}/api/v1/models?size=1`)).status).toBe(401);
    } finally {
      expect(await stop(first)).toBe(0);
    }
    const second = await startCli(['up', '--port', '0', '--auth'], { MODELPLANE_HOME: upHome });
    try {
      expect(second.stdout()).not.toContain('Admin API key');
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });
});
