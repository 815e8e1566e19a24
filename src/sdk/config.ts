import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseDurability, type Durability } from '../domain/durability.js';
import { ValidationError } from '../domain/errors.js';

/** Where the active configuration came from (what `modelplane status` reports). */
export type ConfigSource = 'options' | 'env' | 'config-file' | 'default';

/** Where an embedded store lives (or which server to talk to) and who acts. */
export interface ResolvedConfig {
  kind: 'embedded' | 'server';
  /** Which rule chose the store: explicit options, the environment, the config file, or the default. */
  source: ConfigSource;
  /** The modelplane home folder (embedded store, and where `config.json` lives). */
  home: string;
  /** The config file of `home` that was consulted (whether or not it exists). */
  configFile: string;
  database: string;
  artifacts: string;
  url?: string;
  apiKey?: string;
  actor: string;
  durability: Durability;
}

/** Options that decide which store a `Client` talks to. */
export interface ConfigOptions {
  /** An embedded store in this folder (never a server). */
  home?: string;
  /** A server. */
  url?: string;
  apiKey?: string;
  /** An embedded store on this database (never a server). */
  database?: string;
  artifacts?: string;
  actor?: string;
  /** `process` (default) or `full`; see `Durability`. */
  durability?: Durability;
}

/** What `modelplane login` stores in `$MODELPLANE_HOME/config.json`. */
export interface ConfigFile {
  url: string;
  apiKey: string;
}

/** The name of the config file inside the modelplane home. */
export const CONFIG_FILE_NAME = 'config.json';

function defaultActor(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** The modelplane home folder: `MODELPLANE_HOME`, default `~/.modelplane` (absolute). */
export function modelplaneHome(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.MODELPLANE_HOME || path.join(os.homedir(), '.modelplane'));
}

/** The config file written by `modelplane login`: `$MODELPLANE_HOME/config.json`. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(modelplaneHome(env), CONFIG_FILE_NAME);
}

/**
 * Reads the config file at `file`: `undefined` when there is none, its `{ url, apiKey }` otherwise.
 * A file that exists but is not such an object is a `ValidationError` naming the file (it is never
 * silently ignored: that would quietly switch from a server to an embedded store).
 */
export function readConfigFile(file: string): ConfigFile | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new ValidationError(`Cannot read the modelplane config file ${file}: ${(error as Error).message}`, { file });
  }
  const broken = (why: string) =>
    new ValidationError(`The modelplane config file ${file} is invalid (${why}): run 'modelplane login URL --api-key KEY' again, or 'modelplane logout' to remove it.`, { file });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw broken('not JSON');
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw broken('not an object');
  const { url, apiKey } = parsed as Record<string, unknown>;
  if (typeof url !== 'string' || url === '') throw broken('no "url"');
  if (typeof apiKey !== 'string' || apiKey === '') throw broken('no "apiKey"');
  return { url, apiKey };
}

function common(options: ConfigOptions, env: NodeJS.ProcessEnv): Pick<ResolvedConfig, 'actor' | 'durability'> {
  return {
    actor: options.actor ?? (env.MODELPLANE_ACTOR || defaultActor()),
    durability: parseDurability(options.durability ?? (env.MODELPLANE_DURABILITY || undefined)),
  };
}

/**
 * The embedded store of the active configuration, ignoring any server (what `modelplane up` serves):
 * `options.home` / `options.database` / `options.artifacts`, else `MODELPLANE_HOME`,
 * `MODELPLANE_DATABASE_URL`, `MODELPLANE_ARTIFACTS`, else `~/.modelplane`.
 */
export function resolveEmbeddedConfig(options: ConfigOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const home = options.home !== undefined ? path.resolve(options.home) : modelplaneHome(env);
  const useEnvStore = options.home === undefined;
  const database = options.database ?? ((useEnvStore && env.MODELPLANE_DATABASE_URL) || `sqlite://${path.join(home, 'modelplane.db')}`);
  const artifacts = options.artifacts ?? ((useEnvStore && env.MODELPLANE_ARTIFACTS) || path.join(home, 'artifacts'));
  const source: ConfigSource =
    options.home !== undefined || options.database !== undefined ? 'options' : env.MODELPLANE_HOME || env.MODELPLANE_DATABASE_URL ? 'env' : 'default';
  return { kind: 'embedded', source, home, configFile: path.join(home, CONFIG_FILE_NAME), database, artifacts, ...common(options, env) };
}

/**
 * Resolves the active configuration. This is the SDK's one entry point that reads `process.env`
 * (tests pass their own `env`). First match wins:
 *
 * 1. explicit options: `url` (+ `apiKey`, else `MODELPLANE_API_KEY`) is a server; `home` or `database`
 *    is an embedded store;
 * 2. the environment: `MODELPLANE_URL` + `MODELPLANE_API_KEY` is a server; `MODELPLANE_DATABASE_URL`
 *    is an embedded store on that database;
 * 3. the config file `$MODELPLANE_HOME/config.json` written by `modelplane login` (`{ url, apiKey }`);
 * 4. the embedded store in `MODELPLANE_HOME` (default `~/.modelplane`).
 *
 * `MODELPLANE_HOME` names the home folder, which holds both the embedded store and the config file:
 * a home without a config file is an embedded store. Also read: `MODELPLANE_ARTIFACTS` (the embedded
 * artifact folder or store), `MODELPLANE_ACTOR`, `MODELPLANE_DURABILITY` (`process` or `full`).
 * Synchronous: the config file is a few bytes.
 */
export function resolveConfig(options: ConfigOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const explicitEmbedded = options.home !== undefined || options.database !== undefined;
  if (explicitEmbedded) return resolveEmbeddedConfig(options, env);
  const embedded = resolveEmbeddedConfig(options, env);
  const server = (url: string, apiKey: string | undefined, source: ConfigSource): ResolvedConfig => ({
    ...embedded,
    kind: 'server',
    source,
    url,
    ...(apiKey ? { apiKey } : {}),
  });
  if (options.url) return server(options.url, options.apiKey ?? (env.MODELPLANE_API_KEY || undefined), 'options');
  if (env.MODELPLANE_URL) return server(env.MODELPLANE_URL, options.apiKey ?? (env.MODELPLANE_API_KEY || undefined), 'env');
  if (env.MODELPLANE_DATABASE_URL) return embedded;
  const file = readConfigFile(embedded.configFile);
  if (file) return server(file.url, options.apiKey ?? file.apiKey, 'config-file');
  return embedded;
}
