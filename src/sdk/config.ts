import os from 'node:os';
import path from 'node:path';
import { parseDurability, type Durability } from '../domain/durability.js';

/** Where an embedded store lives and who acts, resolved from options, then the environment, then defaults. */
export interface ResolvedConfig {
  kind: 'embedded' | 'server';
  home: string;
  database: string;
  artifacts: string;
  url?: string;
  apiKey?: string;
  actor: string;
  durability: Durability;
}

/** Options that decide which store a `Client` talks to. */
export interface ConfigOptions {
  home?: string;
  url?: string;
  apiKey?: string;
  database?: string;
  artifacts?: string;
  actor?: string;
  /** `process` (default) or `full`; see `Durability`. */
  durability?: Durability;
}

function defaultActor(): string {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * Resolves the active configuration. This is the SDK's one entry point that reads `process.env`:
 * `MODELPLANE_URL` + `MODELPLANE_API_KEY` (a server), `MODELPLANE_HOME` (embedded store folder,
 * default `~/.modelplane`), `MODELPLANE_DATABASE_URL` / `MODELPLANE_ARTIFACTS` (override the embedded
 * database and artifact folder, e.g. to run the embedded backend on PostgreSQL), `MODELPLANE_ACTOR`, `MODELPLANE_DURABILITY` (`process` or `full`).
 */
export function resolveConfig(options: ConfigOptions = {}, env: NodeJS.ProcessEnv = process.env): ResolvedConfig {
  const explicitEmbedded = options.home !== undefined || options.database !== undefined;
  const url = options.url ?? (explicitEmbedded ? undefined : env.MODELPLANE_URL || undefined);
  const home = path.resolve(options.home ?? (env.MODELPLANE_HOME || path.join(os.homedir(), '.modelplane')));
  const useEnvStore = options.home === undefined;
  const database = options.database ?? ((useEnvStore && env.MODELPLANE_DATABASE_URL) || `sqlite://${path.join(home, 'modelplane.db')}`);
  const artifacts = options.artifacts ?? ((useEnvStore && env.MODELPLANE_ARTIFACTS) || path.join(home, 'artifacts'));
  const actor = options.actor ?? (env.MODELPLANE_ACTOR || defaultActor());
  const apiKey = options.apiKey ?? (env.MODELPLANE_API_KEY || undefined);
  return {
    kind: url ? 'server' : 'embedded',
    home,
    database,
    artifacts,
    ...(url ? { url } : {}),
    ...(apiKey ? { apiKey } : {}),
    actor,
    durability: parseDurability(options.durability ?? (env.MODELPLANE_DURABILITY || undefined)),
  };
}
