import { arg, defineCommand, opt, UsageError } from '../command.js';
import { outputOption, STAGES, versionLabel } from '../common.js';
import { printObject } from '../output/format.js';
import { versionFieldsSection } from './model-version-describe.js';

/**
 * `modelplane model version update NAME VERSION [--stage S] [--force] [--reason R] [--name N] [--description D] [--tag T] [--remove-tag T]`
 * A stage another version holds is refused without --force (the error names the holder); with --force
 * the holder moves to archived in the same transaction.
 */
export const command = defineCommand({
  path: ['model', 'version', 'update'],
  summary: 'change a version: its stage (promote), name, description or tags',
  args: [arg.required('name', 'model name or id'), arg.required('version', 'version number, name, id, or a stage: latest, staging, production, archived')],
  options: {
    stage: opt.choice('--stage <stage>', 'move the version to this stage', STAGES),
    force: opt.flag('--force', 'if another version holds the stage, move that one to archived'),
    reason: opt.string('--reason <text>', 'why (recorded in the stage history)'),
    name: opt.string('--name <name>', 'rename the version (not all digits, not a stage name)'),
    description: opt.string('--description <text>', 'set the description'),
    tag: opt.list('--tag <tag>', 'add a tag (repeatable)'),
    removeTag: opt.list('--remove-tag <tag>', 'remove a tag (repeatable)'),
    output: outputOption,
  },
  examples: [
    'modelplane model version update iris_classifier 4 --stage production --force --reason "beats v3 on accuracy"',
    'modelplane model version update iris_classifier latest --name 1.0.5 --tag rc',
  ],
  validate(_args, o) {
    if (o.stage === undefined && (o.force || o.reason !== undefined)) {
      throw new UsageError('--force and --reason apply to a stage change: add --stage.');
    }
    if (o.stage === undefined && o.name === undefined && o.description === undefined && o.tag.length === 0 && o.removeTag.length === 0) {
      throw new UsageError('nothing to update: pass at least one of --stage, --name, --description, --tag, --remove-tag.');
    }
  },
  async run(ctx, { name, version }, o) {
    const client = await ctx.client();
    // Resolve the selector first: after a stage change, "staging" or "latest" may mean another version.
    const before = await client.getModelVersion(name, version);
    const after = await client.updateModelVersion(before.modelId, before.number, {
      ...(o.stage === undefined ? {} : { stage: o.stage, force: o.force }),
      ...(o.reason === undefined ? {} : { reason: o.reason }),
      ...(o.name === undefined ? {} : { name: o.name }),
      ...(o.description === undefined ? {} : { description: o.description }),
      ...(o.tag.length ? { addTags: o.tag } : {}),
      ...(o.removeTag.length ? { removeTags: o.removeTag } : {}),
    });
    if (o.output !== 'table') {
      await printObject(ctx, o.output, after, () => [versionFieldsSection(after, ctx.style)]);
      return;
    }
    const changes: string[] = [];
    if (o.stage !== undefined) {
      if (before.stage === after.stage) changes.push(`stage stays ${ctx.style.stage(after.stage)}`);
      else {
        let displaced = '';
        if (o.force) {
          const history = await client.getStageHistory(after.modelId, { stage: after.stage });
          const last = history.filter((t) => t.modelVersionId === after.id).at(-1);
          if (last?.displacedVersionNumber != null) displaced = `; version ${last.displacedVersionNumber} moved to ${ctx.style.stage('archived')}`;
        }
        changes.push(`stage ${ctx.style.stage(before.stage)} → ${ctx.style.stage(after.stage)}${displaced}`);
      }
    }
    if (o.name !== undefined) changes.push(`name "${after.name}"`);
    if (o.description !== undefined) changes.push('description set');
    if (o.tag.length || o.removeTag.length) changes.push(`tags ${after.tags.length ? after.tags.join(', ') : '(none)'}`);
    ctx.out(`Updated ${after.modelName} ${versionLabel(after)}: ${changes.join("; ")}.`);
  },
});
