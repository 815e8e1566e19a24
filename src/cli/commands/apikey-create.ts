import { CliError, defineCommand, opt, UsageError } from '../command.js';
import { outputOption } from '../common.js';
import type { CliContext } from '../context.js';

/** The roles an API key can have (as in src/server/auth/roles.ts; repeated here to keep this module cheap to import). */
export const API_KEY_ROLES = ['viewer', 'editor', 'admin'] as const;

/** An API key as the server shows it: never its hash, salt or secret. */
export interface ApiKeyView {
  id: string;
  name: string;
  role: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Only the public fields of a key record, whatever else an answer might carry. */
export function publicKey(record: ApiKeyView): ApiKeyView {
  return { id: record.id, name: record.name, role: record.role, createdAt: record.createdAt, lastUsedAt: record.lastUsedAt, revokedAt: record.revokedAt };
}

/**
 * Calls the `api_keys` routes of the server of the active configuration (`modelplane login`, or
 * MODELPLANE_URL + MODELPLANE_API_KEY) and returns the JSON answer. An embedded store has no keys: that
 * is a `CliError` (exit 1), as is any error answer of the server (its message, one line).
 */
export async function apiKeyRequest(ctx: CliContext, method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<unknown> {
  const { resolveConfig } = await import('../../sdk/config.js');
  const config = resolveConfig({}, ctx.env);
  if (config.kind !== 'server' || !config.url) {
    throw new CliError(
      `API keys belong to a modelplane server, and the active store is embedded (${config.database}): run \`modelplane login URL --api-key KEY\` or set MODELPLANE_URL and MODELPLANE_API_KEY first.`,
    );
  }
  const url = `${config.url.replace(/\/+$/, '')}/api/v1${path}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      signal: AbortSignal.timeout(30_000),
      headers: {
        accept: 'application/json',
        ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (error) {
    const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    const why = e.name === 'TimeoutError' ? 'no answer (timed out)' : (e.cause?.code ?? e.cause?.message ?? e.message ?? String(error));
    throw new CliError(`cannot reach ${config.url}: ${why}`);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const message = (parsed as { error?: { message?: unknown } } | undefined)?.error?.message;
    throw new CliError(typeof message === 'string' && message !== '' ? message : `${method} ${url} answered HTTP ${response.status}.`);
  }
  if (parsed === undefined) throw new CliError(`${method} ${url} answered HTTP ${response.status} without JSON: is this a modelplane server?`);
  return parsed;
}

/** `modelplane apikey create --name N --role viewer|editor|admin`: the raw key is printed once. */
export const command = defineCommand({
  path: ['apikey', 'create'],
  summary: 'create an API key on the server (admin); the key is shown once',
  description:
    'Creates an API key on the server of the active configuration (needs an admin key). The raw key is printed once and stored ' +
    'nowhere, the server keeps only a salted hash: copy it now. Roles: viewer reads; editor also writes and promotes to staging; ' +
    'admin also promotes to production, deletes and manages keys.',
  args: [],
  options: {
    name: opt.string('--name <name>', 'a name for the key (recorded as the actor of stage changes)'),
    role: opt.choice('--role <role>', 'what the key may do', API_KEY_ROLES),
    output: outputOption,
  },
  examples: ['modelplane apikey create --name ci --role editor', 'modelplane apikey create --name dashboards --role viewer --output json'],
  validate(_args, o) {
    if (o.name === undefined || o.name.trim() === '') throw new UsageError("missing required option '--name <name>'.");
    if (o.role === undefined) throw new UsageError("missing required option '--role <role>' (viewer, editor or admin).");
  },
  async run(ctx, _args, o) {
    const created = (await apiKeyRequest(ctx, 'POST', '/api_keys', { name: o.name, role: o.role })) as { key: string; record: ApiKeyView };
    const record = publicKey(created.record);
    const note = 'Store this key now: it is shown only once, and the server keeps only a hash of it.';
    if (o.output === 'table') {
      ctx.out(`Created API key "${record.name}" (role ${record.role}, id ${record.id}):`);
      ctx.out(created.key);
      ctx.err(ctx.errStyle.yellow(`note: ${note}`));
      return;
    }
    const { printObject } = await import('../output/format.js');
    await printObject(ctx, o.output, { key: created.key, record }, () => []);
    ctx.err(ctx.errStyle.yellow(`note: ${note}`));
  },
});
