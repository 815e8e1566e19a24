import { readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { Context, Hono } from 'hono';
import { API_PREFIX } from '../../backend/wire.js';
import { notFoundBody } from '../error-mapping.js';

/**
 * The built dashboard (`dist/dashboard/index.html` + `assets/*`) served at `/` without an API key:
 * files as they are, any other path that is not under `/api/` answered with index.html (the app
 * routes on the client), hashed assets cached for a year, index.html revalidated every time.
 */

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

/** Vite puts content-hashed files here: their name changes whenever their bytes do. */
const ASSETS = 'assets';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** The folder of the package named `modelplane` that contains `from`, or null. */
function packageRoot(from: string): string | null {
  for (let dir = from; ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'modelplane') return dir;
    } catch {
      // no (readable) package.json here: keep climbing
    }
    if (path.dirname(dir) === dir) return null;
  }
}

/**
 * Where the built dashboard lives: `<package root>/dist/dashboard`, found from this module's own
 * location. The same answer from `src/server/routes` (tsx, vitest), `dist/server/routes` (tsc) and
 * the CLI bundle in `dist/cli` — which is why it climbs to the package root instead of using a fixed `../..`.
 */
export function defaultDashboardDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const root = packageRoot(here);
  return root === null ? path.resolve(here, '../../dashboard') : path.join(root, 'dist', 'dashboard');
}

const MISSING_BUILD = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>modelplane</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 4rem auto; line-height: 1.5">
<h1>modelplane</h1>
<p>The dashboard has not been built. Run <code>npm run build</code> in the modelplane folder, then reload this page.</p>
<p>The REST API is running: see <a href="${API_PREFIX}/openapi.json">${API_PREFIX}/openapi.json</a>.</p>
</body></html>
`;

/**
 * The path below the dashboard folder that a URL path names, or null when it cannot name a file
 * there: a `..`/`.` segment, an encoded slash or backslash, a NUL, or bad percent-encoding.
 */
export function dashboardRelativePath(urlPath: string): string | null {
  const segments: string[] = [];
  for (const raw of urlPath.split('/')) {
    if (raw === '') continue;
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments.join('/');
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}

/** Text types worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.map', '.svg', '.txt', '.webmanifest', '.wasm']);
/** Gzipped bodies by file, size and modification time: each file is compressed once per build. */
const gzipped = new Map<string, Buffer<ArrayBuffer>>();

async function sendFile(c: Context, file: string, cacheControl: string): Promise<Response> {
  const info = await stat(file);
  let body: Buffer<ArrayBuffer> = await readFile(file);
  const ext = path.extname(file).toLowerCase();
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[ext] ?? 'application/octet-stream',
    'cache-control': cacheControl,
    'x-content-type-options': 'nosniff',
    vary: 'Accept-Encoding',
  };
  // The main bundle is ~0.5 MB; gzip makes it ~150 KB, which matters for the first load over a network.
  if (COMPRESSIBLE.has(ext) && body.length > 1024 && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    const key = `${file}\0${info.size}\0${info.mtimeMs}`;
    let packed = gzipped.get(key);
    if (!packed) {
      packed = gzipSync(body) as Buffer<ArrayBuffer>;
      // Rebuilds while the server runs leave stale entries: start over rather than grow without bound.
      if (gzipped.size >= 500) gzipped.clear();
      gzipped.set(key, packed);
    }
    body = packed;
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] = String(body.length);
  return c.body(body, 200, headers);
}

/** Serves the dashboard in `dir` at `/` on `root` (GET and HEAD); `/api/…` paths that reach it get the JSON 404. */
export function registerDashboardRoutes(root: Hono, dir: string = defaultDashboardDir()): void {
  const base = path.resolve(dir);
  root.get('*', async (c) => {
    const urlPath = new URL(c.req.url).pathname;
    if (urlPath === '/api' || urlPath.startsWith('/api/')) return c.json(notFoundBody(c.req.method, urlPath), 404);
    const index = path.join(base, 'index.html');
    if (!(await isFile(index))) return c.html(MISSING_BUILD, 200, { 'cache-control': 'no-store' });
    const relative = dashboardRelativePath(urlPath);
    if (relative === null) return c.text('Not found', 404);
    const file = path.resolve(base, relative);
    // Belt and braces: whatever the URL was, only files inside the dashboard folder are read.
    if (relative !== '' && file.startsWith(base + path.sep) && (await isFile(file))) {
      return sendFile(c, file, relative.startsWith(`${ASSETS}/`) ? IMMUTABLE : 'no-cache');
    }
    // A missing asset is a 404 (HTML in place of a script only confuses the browser); any other path is a client-side route.
    if (relative === ASSETS || relative.startsWith(`${ASSETS}/`)) return c.text('Not found', 404);
    return sendFile(c, index, 'no-cache');
  });
}
