/**
 * Writing and removing the config file of `modelplane login` / `logout` (`$MODELPLANE_HOME/config.json`,
 * `{ url, apiKey }`); reading it is the SDK's (`resolveConfig` in src/sdk/config.ts). Also the small
 * HTTP probe `login` and `status` share: does a URL answer as a modelplane server, and does it accept a key.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { ConfigFile } from '../sdk/config.js';

/**
 * Writes `config` to `file` atomically: a temporary file beside it (mode 0600, flushed), then a rename,
 * so a reader sees the old file or the new one, never half of one. The folder is created (0700) if missing.
 */
export async function writeConfigFile(file: string, config: ConfigFile): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const temp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ url: config.url, apiKey: config.apiKey }, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await chmod(temp, 0o600); // the umask may have narrowed it further, never widened; make it exact
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** Removes the config file; `false` when there was none. */
export async function removeConfigFile(file: string): Promise<boolean> {
  try {
    await rm(file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * Normalizes a server URL given on the command line: http(s) only, no credentials, query or fragment;
 * the trailing slash removed. Returns an error message instead when it is not such a URL.
 */
export function normalizeServerUrl(raw: string): { url: string } | { error: string } {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    return { error: `'${raw}' is not a URL: use http://HOST:PORT or https://HOST.` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { error: `'${raw}' is not an http(s) URL: use http://HOST:PORT or https://HOST.` };
  if (parsed.username || parsed.password) return { error: `'${raw}' contains credentials: pass the API key with --api-key.` };
  if (parsed.search || parsed.hash) return { error: `'${raw}' has a query or fragment: give the server's base URL.` };
  return { url: `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}` };
}

/** What probing a server found. */
export interface ServerProbe {
  /** The server answered `GET /api/v1/health` with 2xx. */
  reachable: boolean;
  /** Why not, when not (one line). */
  reachError?: string;
  /** The key was accepted by an authenticated call (`undefined` when unreachable). */
  keyAccepted?: boolean;
  /** Why not, when not (one line). */
  keyError?: string;
  /** What `/health` answered (JSON), when reachable. */
  health?: unknown;
}

function describeFetchError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return 'no answer (timed out)';
  const cause = e.cause;
  if (cause?.code) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code === 'ENOTFOUND' ? 'host not found' : `${cause.code}${cause.message ? `: ${cause.message}` : ''}`;
  return cause?.message ?? e.message ?? String(error);
}

async function errorMessage(response: Response): Promise<string> {
  try {
    const body = (await response.json()) as { error?: { message?: string } };
    if (body.error?.message) return body.error.message;
  } catch {
    // not the error shape
  }
  return `HTTP ${response.status}`;
}

/**
 * Asks `url` whether it is a modelplane server (`GET /api/v1/health`) and whether `apiKey` is accepted
 * (`GET /api/v1/models?size=1` with `Authorization: Bearer`; no key → the call is made without one,
 * which a server with auth off answers). Never throws.
 */
export async function probeServer(url: string, apiKey: string | undefined, timeoutMs = 10_000): Promise<ServerProbe> {
  let health: unknown;
  try {
    const response = await fetch(`${url}/api/v1/health`, { signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
    if (!response.ok) return { reachable: false, reachError: `GET ${url}/api/v1/health answered HTTP ${response.status}: is this a modelplane server?` };
    health = await response.json().catch(() => undefined);
  } catch (error) {
    return { reachable: false, reachError: `cannot reach ${url}: ${describeFetchError(error)}` };
  }
  try {
    const response = await fetch(`${url}/api/v1/models?size=1`, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    });
    if (response.status !== 401 && !response.ok && response.status !== 403) {
      return { reachable: true, health, keyAccepted: false, keyError: `GET ${url}/api/v1/models answered HTTP ${response.status}: ${await errorMessage(response)}` };
    }
    await response.body?.cancel().catch(() => undefined);
    if (response.ok) return { reachable: true, health, keyAccepted: true };
    if (response.status === 401) return { reachable: true, health, keyAccepted: false, keyError: `the server at ${url} does not accept this API key (401 Unauthorized)` };
    return { reachable: true, health, keyAccepted: true }; // 403: a valid key whose role may not list (no role today)
  } catch (error) {
    return { reachable: true, health, keyAccepted: false, keyError: `cannot reach ${url}: ${describeFetchError(error)}` };
  }
}
