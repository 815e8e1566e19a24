import type { ModelVersion } from '../../domain/entities.js';
import { arg, defineCommand } from '../command.js';
import { outputOption, versionLabel } from '../common.js';
import { flattenMetadata, formatDate, formatScalar, formatTags, renderCsv, renderJson, renderSections, renderYaml } from '../output/format.js';

/** One metadata key of a comparison. `delta` is right − left when both are numbers. */
export interface ComparisonRow {
  key: string;
  left: unknown;
  right: unknown;
  delta: number | null;
}

function summary(v: ModelVersion) {
  return { id: v.id, number: v.number, name: v.name, stage: v.stage, tags: v.tags, createdAt: v.createdAt };
}

/** Flattened metadata of two versions side by side, keys in first-seen order (left, then right). */
export function compareMetadata(left: ModelVersion, right: ModelVersion): ComparisonRow[] {
  const l = new Map(flattenMetadata(left.runMetadata));
  const r = new Map(flattenMetadata(right.runMetadata));
  const keys = [...new Set([...l.keys(), ...r.keys()])];
  return keys.map((key) => {
    const a = l.get(key);
    const b = r.get(key);
    const delta = typeof a === 'number' && typeof b === 'number' ? b - a : null;
    return { key, left: a, right: b, delta };
  });
}

function formatDelta(row: ComparisonRow): string {
  if (row.delta === null) {
    if (row.left === undefined || row.right === undefined) return '';
    return JSON.stringify(row.left) === JSON.stringify(row.right) ? '' : 'changed';
  }
  if (row.delta === 0) return '0';
  const d = Number(row.delta.toPrecision(6));
  const sign = d > 0 ? '+' : '';
  const rel = typeof row.left === 'number' && row.left !== 0 ? ` (${sign}${((row.delta / Math.abs(row.left)) * 100).toFixed(1)}%)` : '';
  return `${sign}${d}${rel}`;
}

/** `modelplane model version compare NAME V1 V2`: metadata side by side with numeric deltas (V2 − V1). */
export const command = defineCommand({
  path: ['model', 'version', 'compare'],
  summary: 'compare the metadata of two versions side by side, with numeric deltas (v2 − v1)',
  args: [
    arg.required('name', 'model name or id'),
    arg.required('v1', 'first version: number, name, id or stage'),
    arg.required('v2', 'second version: number, name, id or stage'),
  ],
  options: { output: outputOption },
  examples: ['modelplane model version compare iris_classifier production latest'],
  async run(ctx, { name, v1, v2 }, o) {
    const client = await ctx.client();
    const [left, right] = await Promise.all([client.getModelVersion(name, v1), client.getModelVersion(name, v2)]);
    const rows = compareMetadata(left, right);
    const result = { model: left.modelName, left: summary(left), right: summary(right), metadata: rows.map((r) => ({ ...r, left: r.left ?? null, right: r.right ?? null })) };
    switch (o.output) {
      case 'json':
        return void ctx.out(renderJson(result));
      case 'yaml':
        return void ctx.out(await renderYaml(result));
      case 'csv':
        return void ctx.out(renderCsv(['key', 'left', 'right', 'delta'], rows.map((r) => [r.key, cell(r.left), cell(r.right), r.delta === null ? '' : String(r.delta)])));
      case 'table':
        break;
    }
    const a = versionLabel(left);
    const b = versionLabel(right);
    const s = ctx.style;
    ctx.out(
      await renderSections(
        [
          {
            title: `Model ${left.modelName}: ${a} vs ${b}`,
            table: {
              headers: ['', a, b],
              rows: [
                ['stage', s.stage(left.stage), s.stage(right.stage)],
                ['tags', formatTags(left.tags), formatTags(right.tags)],
                ['created', formatDate(left.createdAt), formatDate(right.createdAt)],
              ],
            },
          },
          {
            title: 'Metadata',
            table: {
              headers: ['KEY', a, b, 'DELTA'],
              rows: rows.map((r) => [s.cyan(r.key), cell(r.left, '-'), cell(r.right, '-'), formatDelta(r)]),
            },
            empty: 'neither version has metadata',
          },
        ],
        s,
      ),
    );
  },
});

function cell(value: unknown, missing = ''): string {
  return value === undefined ? missing : formatScalar(value);
}
