/**
 * The one place that runs a command and turns its outcome into output and an exit code:
 *
 *   0  success (also --help and --version)
 *   1  a failure: a modelplane error (`error: <message>`, one line), a refused confirmation, or an
 *      unexpected error (one line; the stack only with MODELPLANE_DEBUG=1)
 *   2  a usage mistake: unknown command or option, missing argument, invalid option value — one line,
 *      then the command's usage and where to find help
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isatty } from 'node:tty';
import { fileURLToPath } from 'node:url';
import { ModelplaneError } from '../domain/errors.js';
import { CliError, UsageError } from './command.js';
import { COMMANDS } from './commands/index.js';
import { colorsEnabled, createContext, type CliIo, type CommandTreeNode } from './context.js';
import { makeStyle } from './output/style.js';
import { buildProgram, findCommand } from './program.js';

/**
 * The package version, from the nearest package.json named `modelplane` above this module (src/cli,
 * dist/cli, or a chunk of the bundled CLI in dist/cli/chunks).
 */
export function packageVersion(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'modelplane' && pkg.version) return pkg.version;
    } catch {
      // no package.json here: keep climbing
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function isCommanderError(error: unknown): error is Error & { code: string; exitCode: number } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'string' && (error as unknown as { code: string }).code.startsWith('commander.');
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Never throws.
 * @example process.exitCode = await runCli(process.argv.slice(2), processIo())
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const noColorFlag = argv.includes('--no-color');
  const errStyle = makeStyle(colorsEnabled(io.stderr, io.env, noColorFlag));
  const debug = io.env.MODELPLANE_DEBUG === '1' || io.env.MODELPLANE_DEBUG === 'true';
  const fail = (message: string) => io.stderr.write(`${errStyle.red(errStyle.bold('error:'))} ${oneLine(message)}\n`);

  let tree: CommandTreeNode | undefined;
  let built: ReturnType<typeof buildProgram> | undefined;
  try {
    built = buildProgram(COMMANDS, {
      version: packageVersion(),
      onAction: async (definition, args, options, globals) => {
        const ctx = createContext(io, { color: globals.color, tree: tree! });
        try {
          await definition.run(ctx, args as never, options as never);
        } finally {
          await ctx.close().catch(() => undefined);
        }
      },
    });
    tree = built.tree;
    await built.program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (isCommanderError(error)) return error.exitCode === 0 ? 0 : 2; // help or version, already printed
    if (error instanceof UsageError) {
      fail(error.message);
      if (built) {
        const { command, path } = findCommand(built.program, error.commandPath ?? []);
        const name = [built.program.name(), ...path].join(' ');
        io.stderr.write(`usage: ${name} ${command.usage()}\n`);
        io.stderr.write(`Run '${name} --help' for details.\n`);
      }
      return 2;
    }
    if (error instanceof ModelplaneError || error instanceof CliError) {
      fail(error.message);
      if (debug && error.stack) io.stderr.write(`${error.stack}\n`);
      return 1;
    }
    const message = error instanceof Error ? error.message : String(error);
    fail(`${message} (unexpected error${debug ? '' : '; set MODELPLANE_DEBUG=1 for the stack trace'})`);
    if (debug && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}

/** The real process's streams and environment. */
export function processIo(): CliIo {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: isatty(0),
    stdin: () => process.stdin,
    env: process.env,
  };
}
