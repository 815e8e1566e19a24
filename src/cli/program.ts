/**
 * Builds the commander tree from the command definitions (commands/index.ts): groups (`model`,
 * `model version`, `artifact`, `run`), leaf commands with their arguments and options, help texts and
 * examples, and the plain tree that shell completion is generated from. Parsing problems become
 * `UsageError`s naming the command, so the wrapper can print its usage line.
 */
import { Command, Option, type CommanderError } from 'commander';
import { UsageError, type AnyCommandDefinition, type OptSpec } from './command.js';
import type { CommandTreeNode } from './context.js';

/** One-line help of each command group. A group exists once a definition's path goes through it. */
export const GROUPS: Readonly<Record<string, string>> = {
  model: 'register, list, describe, update and delete models; their versions under "model version"',
  'model version': "a model's versions: list, describe, update (stages), delete, artifacts, runs, history, compare",
  artifact: 'artifact versions: list, describe, download, gc',
  run: 'pipeline runs: list, describe',
  // Server mode (DESIGN.md §3): `up`, `server`, `worker`, `login`, `logout` and `status` are single
  // commands; `apikey` is a group:
  apikey: 'API keys of a modelplane server: create, list, revoke',
};

/** Called when a leaf command is invoked, with its parsed and validated values. */
export type ActionHandler = (
  definition: AnyCommandDefinition,
  args: Record<string, string | undefined>,
  options: Record<string, unknown>,
  globals: { color: boolean },
) => Promise<void>;

/** Commander error codes that are not mistakes: help or version was printed as asked. */
const INFORMATIONAL = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help']);

function oneLine(text: string): string {
  return text.replace(/^error:\s*/, '').replace(/\s*\n\s*/g, ' ').trim();
}

/** Makes commander throw instead of exiting: usage mistakes become `UsageError`s for `path`. */
function exitOverride(command: Command, path: string[]): Command {
  return command.exitOverride((err: CommanderError) => {
    if (INFORMATIONAL.has(err.code)) throw err;
    throw new UsageError(oneLine(err.message), path);
  });
}

function commanderOption(key: string, spec: OptSpec, path: string[]): Option {
  const option = new Option(spec.flags, spec.description);
  if (option.attributeName() !== key) {
    throw new Error(`CLI definition bug: option ${spec.flags} of "${path.join(' ')}" is declared as "${key}", commander calls it "${option.attributeName()}".`);
  }
  if (spec.choices) option.choices(spec.choices);
  const parse = spec.parse;
  if (parse) {
    option.argParser((raw: string, previous: unknown) => {
      try {
        return parse(raw, previous);
      } catch (error) {
        if (error instanceof UsageError) error.commandPath ??= path;
        throw error;
      }
    });
  }
  if ('defaultValue' in spec) option.default((spec as { defaultValue: unknown }).defaultValue);
  return option;
}

function treeOptions(command: Command): CommandTreeNode['options'] {
  const specs = command.options as readonly Option[];
  const options = specs.map((o) => ({
    flags: [o.short, o.long].filter((f): f is string => typeof f === 'string'),
    description: o.description,
    takesValue: o.required || o.optional,
    ...(o.argChoices ? { choices: o.argChoices } : {}),
  }));
  return [...options, { flags: ['-h', '--help'], description: 'show help', takesValue: false }];
}

/**
 * The commander program for `definitions`. `onAction` runs a leaf command; the returned `tree` is the
 * same structure for shell completion.
 */
export function buildProgram(
  definitions: readonly AnyCommandDefinition[],
  options: { name?: string; version: string; onAction: ActionHandler },
): { program: Command; tree: CommandTreeNode } {
  const name = options.name ?? 'modelplane';
  const program = new Command(name)
    .description('modelplane: a model control plane for machine learning — models, versions, stages, artifacts, runs.')
    .version(options.version, '-V, --version', 'print the version')
    .option('--no-color', 'no colours (also when NO_COLOR is set or output is not a terminal)')
    .helpOption('-h, --help', 'show help')
    .helpCommand(false)
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: () => undefined });
  exitOverride(program, []);
  program.addHelpText(
    'after',
    [
      '',
      'Environment:',
      "  MODELPLANE_URL      a modelplane server to use (with MODELPLANE_API_KEY); else the config file of 'login'",
      '  MODELPLANE_API_KEY  the API key for MODELPLANE_URL',
      '  MODELPLANE_HOME     the home folder: embedded store and config.json (default ~/.modelplane)',
      '  NO_COLOR            no colours',
      '  MODELPLANE_DEBUG    set to 1 to print stack traces of unexpected errors',
      '',
      `Run '${name} <command> --help' for a command's options.`,
    ].join('\n'),
  );
  const tree: CommandTreeNode = { name, description: program.description(), children: [], options: [] };
  const nodes = new Map<string, { command: Command; node: CommandTreeNode }>([['', { command: program, node: tree }]]);

  const group = (path: string[]): { command: Command; node: CommandTreeNode } => {
    const key = path.join(' ');
    const found = nodes.get(key);
    if (found) return found;
    const parent = group(path.slice(0, -1));
    const description = GROUPS[key] ?? '';
    const command = exitOverride(parent.command.command(path.at(-1)!).description(description).helpOption('-h, --help', 'show help').helpCommand(false), path);
    const node: CommandTreeNode = { name: path.at(-1)!, description, children: [], options: [] };
    parent.node.children.push(node);
    const entry = { command, node };
    nodes.set(key, entry);
    return entry;
  };

  for (const definition of definitions) {
    const path = [...definition.path];
    const parent = group(path.slice(0, -1));
    const leaf = exitOverride(parent.command.command(path.at(-1)!), path)
      .summary(definition.summary)
      .description(definition.description ?? definition.summary)
      .helpOption('-h, --help', 'show help');
    for (const a of definition.args) leaf.argument(a.required ? `<${a.name}>` : `[${a.name}]`, a.description + (a.choices ? ` (${a.choices.join(' | ')})` : ''));
    for (const [key, spec] of Object.entries(definition.options as Record<string, OptSpec>)) leaf.addOption(commanderOption(key, spec, path));
    if (definition.examples?.length) leaf.addHelpText('after', `\nExamples:\n${definition.examples.map((e) => `  $ ${e}`).join('\n')}`);

    leaf.action(async (...actionArgs: unknown[]) => {
      const command = actionArgs.at(-1) as Command;
      const processed = command.processedArgs as Array<string | undefined>;
      const args: Record<string, string | undefined> = {};
      definition.args.forEach((a, i) => {
        const value = processed[i];
        if (value !== undefined && a.choices && !a.choices.includes(value)) {
          throw new UsageError(`argument '${a.name}' is invalid: use ${a.choices.join(' or ')}, got '${value}'.`, path);
        }
        args[a.name] = value;
      });
      const raw = command.opts();
      const values: Record<string, unknown> = {};
      for (const [key, spec] of Object.entries(definition.options as Record<string, OptSpec>)) values[key] = spec.finish(raw[key]);
      try {
        definition.validate?.(args as never, values);
      } catch (error) {
        if (error instanceof UsageError) error.commandPath ??= path;
        throw error;
      }
      await options.onAction(definition, args, values, { color: command.optsWithGlobals().color !== false });
    });

    const choices = definition.args.find((a) => a.choices)?.choices;
    const leafOptions = treeOptions(leaf).map((o) => {
      const spec = Object.values(definition.options as Record<string, OptSpec>).find((x) => new Option(x.flags).long === o.flags.at(-1));
      return spec?.completeFiles ? { ...o, completeFiles: true } : o;
    });
    parent.node.children.push({ name: path.at(-1)!, description: definition.summary, children: [], options: leafOptions, ...(choices ? { argChoices: choices } : {}) });
  }

  for (const { command, node } of nodes.values()) if (node.options.length === 0) node.options = treeOptions(command);
  tree.options = treeOptions(program);
  return { program, tree };
}

/** The commander command at `path` (the nearest existing ancestor if the path goes astray). */
export function findCommand(program: Command, path: readonly string[]): { command: Command; path: string[] } {
  let command = program;
  const found: string[] = [];
  for (const part of path) {
    const next = command.commands.find((c) => c.name() === part);
    if (!next) break;
    command = next;
    found.push(part);
  }
  return { command, path: found };
}
