/**
 * Every command of the CLI, in the order `--help` lists them. Each file under this folder defines
 * one command; they import only cheap modules at the top (heavy ones inside `run`).
 */
import type { AnyCommandDefinition } from '../command.js';
import { command as apikeyCreate } from './apikey-create.js';
import { command as apikeyList } from './apikey-list.js';
import { command as apikeyRevoke } from './apikey-revoke.js';
import { command as artifactDescribe } from './artifact-describe.js';
import { command as artifactDownload } from './artifact-download.js';
import { command as artifactGc } from './artifact-gc.js';
import { command as artifactList } from './artifact-list.js';
import { command as completion } from './completion.js';
import { command as login } from './login.js';
import { command as logout } from './logout.js';
import { command as modelDelete } from './model-delete.js';
import { command as modelDescribe } from './model-describe.js';
import { command as modelList } from './model-list.js';
import { command as modelRegister } from './model-register.js';
import { command as modelUpdate } from './model-update.js';
import { command as versionArtifacts } from './model-version-artifacts.js';
import { command as versionCompare } from './model-version-compare.js';
import { command as versionDelete } from './model-version-delete.js';
import { command as versionDescribe } from './model-version-describe.js';
import { command as versionHistory } from './model-version-history.js';
import { command as versionList } from './model-version-list.js';
import { command as versionRuns } from './model-version-runs.js';
import { command as versionUpdate } from './model-version-update.js';
import { command as runDescribe } from './run-describe.js';
import { command as runList } from './run-list.js';
import { command as server } from './server.js';
import { command as status } from './status.js';
import { command as up } from './up.js';

/** The registry side: models, versions and stages, artifacts, runs. */
export const REGISTRY_COMMANDS: readonly AnyCommandDefinition[] = [
  modelRegister,
  modelList,
  modelDescribe,
  modelUpdate,
  modelDelete,
  versionList,
  versionDescribe,
  versionUpdate,
  versionDelete,
  versionArtifacts,
  versionRuns,
  versionHistory,
  versionCompare,
  artifactList,
  artifactDescribe,
  artifactDownload,
  artifactGc,
  runList,
  runDescribe,
];

/**
 * The server side (DESIGN.md §3), added by the server issue, one file each like the commands above:
 * `up` (server + dashboard on the embedded store), `server`, `worker`, `login`, `logout`, `status`,
 * `apikey create | list | revoke`. Their groups' help lines are already in program.ts (GROUPS).
 * Only working commands are registered.
 */
export const SERVER_COMMANDS: readonly AnyCommandDefinition[] = [up, server, login, logout, status, apikeyCreate, apikeyList, apikeyRevoke];

/** Tooling around the CLI itself. */
export const TOOL_COMMANDS: readonly AnyCommandDefinition[] = [completion];

/** Everything, in help order. */
export const COMMANDS: readonly AnyCommandDefinition[] = [...REGISTRY_COMMANDS, ...SERVER_COMMANDS, ...TOOL_COMMANDS];
