/**
 * What a command's `run` gets: where to write, whether colours are on, the (lazily opened) client,
 * confirmation prompts, and the command tree (for shell completion).
 */
import type { Client } from '../sdk/client.js';
import { CliError } from './command.js';
import { makeStyle, type Style } from './output/style.js';

/** The streams and environment the CLI runs with (the process's, or a test's). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Whether stdin is a terminal (asked without touching `process.stdin`, which would open it). */
  stdinIsTTY: boolean;
  /** stdin, opened only when a question is asked. */
  stdin(): NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
}

/** A node of the command tree, as shell completion sees it. */
export interface CommandTreeNode {
  name: string;
  description: string;
  children: CommandTreeNode[];
  /** Fixed values of the command's positional argument(s), if any. */
  argChoices?: readonly string[];
  options: Array<{ flags: string[]; description: string; takesValue: boolean; choices?: readonly string[]; completeFiles?: boolean }>;
}

/** Everything a command needs from its surroundings. */
export interface CliContext {
  readonly env: NodeJS.ProcessEnv;
  /** Styles for stdout (no-ops when colours are off). */
  readonly style: Style;
  /** Styles for stderr (no-ops when colours are off there). */
  readonly errStyle: Style;
  readonly stdoutIsTTY: boolean;
  readonly stderrIsTTY: boolean;
  readonly stdinIsTTY: boolean;
  /** Writes text to stdout, adding a final newline when missing. */
  out(text: string): void;
  /** Writes text to stderr, adding a final newline when missing. */
  err(text: string): void;
  /** The raw streams (downloads write bytes, progress bars draw on stderr). */
  readonly io: CliIo;
  /** The SDK client for the active configuration, opened on first use and closed by the wrapper. */
  client(): Promise<Client>;
  /**
   * Asks `question` on a terminal and resolves when the answer is yes. Without a terminal, or when the
   * answer is not yes, throws a `CliError` (exit 1). `yes` skips the question.
   */
  confirm(question: string, options: { yes: boolean; action: string }): Promise<void>;
  /** The command tree (for `completion`). */
  readonly tree: CommandTreeNode;
}

/** True when colours may be used on a stream: a TTY, no `NO_COLOR`, no `--no-color`, not a dumb terminal. */
export function colorsEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The context a command runs in, plus `close()` for the wrapper (closes the client if one was opened). */
export function createContext(io: CliIo, options: { color: boolean; tree: CommandTreeNode }): CliContext & { close(): Promise<void> } {
  let client: Promise<Client> | undefined;
  const stdoutColor = colorsEnabled(io.stdout, io.env, !options.color);
  const stderrColor = colorsEnabled(io.stderr, io.env, !options.color);
  const ctx: CliContext & { close(): Promise<void> } = {
    env: io.env,
    style: makeStyle(stdoutColor),
    errStyle: makeStyle(stderrColor),
    stdoutIsTTY: io.stdout.isTTY === true,
    stderrIsTTY: io.stderr.isTTY === true,
    stdinIsTTY: io.stdinIsTTY,
    io,
    tree: options.tree,
    out(text) {
      io.stdout.write(withNewline(text));
    },
    err(text) {
      io.stderr.write(withNewline(text));
    },
    client() {
      client ??= import('../sdk/client.js').then(({ Client }) => new Client());
      return client;
    },
    async confirm(question, { yes, action }) {
      if (yes) return;
      if (!ctx.stdinIsTTY) {
        throw new CliError(`refusing to ${action} without confirmation: stdin is not a terminal. Pass --yes to ${action} without being asked.`);
      }
      const answer = await ask(io, `${question} [y/N] `);
      if (!/^\s*y(es)?\s*$/i.test(answer)) throw new CliError(`aborted: did not ${action}.`);
    },
    async close() {
      if (!client) return;
      const opened = await client.catch(() => undefined);
      await opened?.close();
    },
  };
  return ctx;
}

async function ask(io: CliIo, question: string): Promise<string> {
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: io.stdin(), output: io.stderr, terminal: false });
  io.stderr.write(question);
  try {
    return await new Promise<string>((resolve) => {
      rl.once('line', resolve);
      rl.once('close', () => resolve(''));
    });
  } finally {
    rl.close();
  }
}
