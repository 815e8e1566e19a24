/**
 * Options and helpers several commands share: `--output`, the listing options (`--filter`, `--sort`,
 * `--page`, `--size`), the model card options, and value checks for positional arguments.
 */
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../domain/pagination.js';
import { opt, UsageError, type OptValues } from './command.js';
import { OUTPUT_FORMATS } from './output/format.js';

/** `-o, --output table|json|yaml|csv` (table by default, also when piped). */
export const outputOption = opt.withDefault(opt.choice('-o, --output <format>', 'output format', OUTPUT_FORMATS), 'table' as (typeof OUTPUT_FORMATS)[number]);

/** `--size` limits: the same as the SDK's and the REST API's. */
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE };

/** The options of every listing. `filterHelp` names the fields a listing filters on. */
export function listOptions(filterHelp: string, sortHelp: string) {
  return {
    output: outputOption,
    filter: opt.string('--filter <expr>', `only rows matching: field op value [and …], ops = != > >= < <= ~ (contains). Fields: ${filterHelp}`),
    sort: opt.string('--sort <field>', `sort by a field, "-field" for descending. Fields: ${sortHelp}`),
    page: opt.int('--page <n>', 'page number, from 1', { min: 1 }),
    size: opt.int('--size <n>', `rows per page, 1 to ${MAX_PAGE_SIZE} (default ${DEFAULT_PAGE_SIZE})`, { min: 1, max: MAX_PAGE_SIZE }),
  };
}

/** The model card fields, as options of `model register` and `model update`. */
export const modelCardOptions = {
  license: opt.string('--license <text>', 'license, e.g. "Apache 2.0"'),
  description: opt.string('--description <text>', 'what the model does'),
  audience: opt.string('--audience <text>', 'who the model is for'),
  useCases: opt.string('--use-cases <text>', 'what it should be used for'),
  limitations: opt.string('--limitations <text>', 'known limitations'),
  tradeOffs: opt.string('--trade-offs <text>', 'trade-offs made'),
  ethics: opt.string('--ethics <text>', 'ethical considerations'),
};

type CardOptions = OptValues<typeof modelCardOptions>;
/** The model card fields that were given (others stay unchanged). */
export function cardFields(o: CardOptions): Partial<Record<keyof CardOptions, string>> {
  const out: Partial<Record<keyof CardOptions, string>> = {};
  for (const key of Object.keys(modelCardOptions) as Array<keyof CardOptions>) {
    const value = o[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** Settable stages (for `--stage` of updates and listings). */
export const STAGES = ['none', 'staging', 'production', 'archived'] as const;

/** Run statuses (for `--status`). */
export const RUN_STATUSES = ['initializing', 'running', 'completed', 'failed', 'cached', 'skipped'] as const;

/** Artifact types (for `--type` of `artifact list`). */
export const ARTIFACT_TYPES = ['data', 'model', 'deployment', 'statistics', 'schema', 'analysis'] as const;

/** The groups a model version shows its artifacts in (data includes statistics, schema and analysis). */
export const ARTIFACT_GROUPS = ['model', 'data', 'deployment'] as const;
export type ArtifactGroupName = (typeof ARTIFACT_GROUPS)[number];
/** The artifact types of one group. */
export function typesOfGroup(group: ArtifactGroupName): Array<(typeof ARTIFACT_TYPES)[number]> {
  return group === 'data' ? ['data', 'statistics', 'schema', 'analysis'] : [group];
}
/** The group of an artifact type. */
export function groupOfType(type: string): ArtifactGroupName {
  return type === 'model' ? 'model' : type === 'deployment' ? 'deployment' : 'data';
}

/** An artifact version number argument: a whole number from 1. */
export function parseArtifactVersionArg(raw: string | undefined, path: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`argument 'version' is invalid: artifact versions are whole numbers from 1, got '${raw}'.`, path);
  }
  return n;
}

/** `v3` or `v3 ("1.0.5")` when the version has a name of its own. */
export function versionLabel(v: { number: number; name: string }): string {
  return v.name === String(v.number) ? `v${v.number}` : `v${v.number} ("${v.name}")`;
}
