/** The REST client of the dashboard: `fetch` under `/api/v1`, with the API key when the server asks for one. */

const PREFIX = '/api/v1';
const KEY_STORAGE = 'modelplane.apiKey';

/** An error answer of the API (`{ error: { code, message, details? } }`) or a network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** The stored API key, or null. */
export function storedKey(): string | null {
  try {
    return localStorage.getItem(KEY_STORAGE);
  } catch {
    return null;
  }
}

/** Stores (or, with null, forgets) the API key. */
export function storeKey(key: string | null): void {
  if (key === null) localStorage.removeItem(KEY_STORAGE);
  else localStorage.setItem(KEY_STORAGE, key);
}

let unauthorizedHandler: (() => void) | null = null;

/** Called when the server refuses the stored key (401): the app shows the login screen again. */
export function onUnauthorized(handler: (() => void) | null): void {
  unauthorizedHandler = handler;
}

/** Headers of every API request: the bearer key when one is stored. */
export function authHeaders(key = storedKey()): Record<string, string> {
  return key ? { authorization: `Bearer ${key}` } : {};
}

/** Builds `/api/v1<path>?query` (undefined and empty values are left out, arrays repeat the name). */
export function apiUrl(path: string, query: Record<string, string | number | undefined | Array<string | number>> = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    for (const v of Array.isArray(value) ? value : [value]) params.append(name, String(v));
  }
  const qs = params.toString();
  return `${PREFIX}${path}${qs ? `?${qs}` : ''}`;
}

/** Encodes a name or id as one path segment. */
export function seg(value: string | number): string {
  return encodeURIComponent(String(value));
}

async function errorOf(res: Response): Promise<ApiError> {
  try {
    const body = (await res.json()) as { error?: { code?: string; message?: string; details?: Record<string, unknown> } };
    if (body.error) return new ApiError(res.status, body.error.code ?? 'error', body.error.message ?? res.statusText, body.error.details);
  } catch {
    // not JSON
  }
  return new ApiError(res.status, res.status === 404 ? 'not_found' : 'error', `${res.status} ${res.statusText}`);
}

/** Sends a request and parses the JSON answer; errors become {@link ApiError}s. */
export async function request<T>(method: string, url: string, body?: unknown, options: { key?: string | null; signal?: AbortSignal } = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers: { ...authHeaders(options.key === undefined ? storedKey() : options.key), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'network', `The server could not be reached (${(err as Error).message}).`);
  }
  if (!res.ok) {
    const error = await errorOf(res);
    if (res.status === 401 && unauthorizedHandler) unauthorizedHandler();
    throw error;
  }
  if (res.status === 204) return undefined as T;
  return (await res.json()) as T;
}

/** `GET` a JSON resource. */
export function get<T>(url: string, signal?: AbortSignal): Promise<T> {
  return request<T>('GET', url, undefined, signal ? { signal } : {});
}
