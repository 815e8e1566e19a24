/**
 * How a CLI command is declared: its place in the command tree, its arguments and options (with a
 * small schema that parses and validates option values), and an async `run`. One file per command
 * under `commands/` exports one definition; `program.ts` turns the definitions into commander
 * commands and `wrapper.ts` handles printing, errors and exit codes for all of them.
 *
 * Keep this module and the command files cheap to import: `modelplane --help` and `--version` load
 * every definition, so heavy modules (the SDK and store, Arrow, cli-table3, yaml, cli-progress) are
 * imported inside `run` only.
 */
import type { CliContext } from './context.js';

/** A mistake in how the CLI was called (unknown option, bad value …): exit code 2, with usage. */
export class UsageError extends Error {
  /** The command path whose usage should be shown, e.g. `['model', 'list']`. Filled in by the wrapper. */
  commandPath: string[] | undefined;
  constructor(message: string, commandPath?: string[]) {
    super(message);
    this.name = 'UsageError';
    this.commandPath = commandPath;
  }
}

/** A failure the CLI itself detects (refused confirmation, bad download target …): exit code 1. */
export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

// ── arguments ──────────────────────────────────────────────────────────────────────────────

/** One positional argument. `required: false` arguments must come last. */
export interface ArgSpec<N extends string = string, T = string | undefined> {
  readonly name: N;
  readonly description: string;
  readonly required: boolean;
  /** Allowed values, if fixed (checked before `run`, offered by shell completion). */
  readonly choices?: readonly string[];
  /** Phantom: the type `run` receives. */
  readonly _type?: T;
}

/** Positional argument helpers. */
export const arg = {
  /** A required argument, shown as `<NAME>`. */
  required<N extends string>(name: N, description: string, choices?: readonly string[]): ArgSpec<N, string> {
    return { name, description, required: true, ...(choices ? { choices } : {}) };
  },
  /** An optional argument, shown as `[NAME]`. */
  optional<N extends string>(name: N, description: string): ArgSpec<N, string | undefined> {
    return { name, description, required: false };
  },
};

/** The values `run` receives for a tuple of argument specs, keyed by argument name. */
export type ArgValues<A extends readonly ArgSpec[]> = {
  [S in A[number] as S['name']]: S extends ArgSpec<string, infer T> ? T : never;
};

// ── options ────────────────────────────────────────────────────────────────────────────────

/**
 * One option. `flags` is commander syntax (`--license <text>`, `-y, --yes`); the key it is declared
 * under in a definition's `options` must equal commander's attribute name (`--use-cases` → `useCases`),
 * which `program.ts` checks. `parse` converts one raw value (throwing `UsageError` for a bad one),
 * `finish` turns what commander collected (possibly `undefined`) into the value `run` receives.
 */
export interface OptSpec<T = unknown> {
  readonly flags: string;
  readonly description: string;
  /** Allowed values (also offered by shell completion and listed in help). */
  readonly choices?: readonly string[];
  /** Shell completion offers file names for this option's value. */
  readonly completeFiles?: boolean;
  /** Whether the option takes a value (`--x <v>`) rather than being a switch. */
  readonly takesValue: boolean;
  /** Converts one raw value; `previous` is what was collected so far (repeatable options). */
  readonly parse?: (raw: string, previous: unknown) => unknown;
  /** Final value from what commander collected. */
  readonly finish: (collected: unknown) => T;
}

function optionName(flags: string): string {
  return /--[a-z0-9-]+/i.exec(flags)?.[0] ?? flags;
}

function bad(flags: string, raw: string, why: string): UsageError {
  return new UsageError(`option '${optionName(flags)}' argument '${raw}' is invalid: ${why}`);
}

/** Option helpers: the CLI's small schema language. */
export const opt = {
  /** Free text, e.g. `--license <text>`. */
  string(flags: string, description: string): OptSpec<string | undefined> {
    return { flags, description, takesValue: true, finish: (v) => (v === undefined ? undefined : String(v)) };
  },
  /** A file path value (completion offers files). */
  file(flags: string, description: string): OptSpec<string | undefined> {
    return { flags, description, takesValue: true, completeFiles: true, finish: (v) => (v === undefined ? undefined : String(v)) };
  },
  /** A switch, false unless given. */
  flag(flags: string, description: string): OptSpec<boolean> {
    return { flags, description, takesValue: false, finish: (v) => v === true };
  },
  /** Repeatable text, e.g. `--tag a --tag b` → `['a', 'b']`. */
  list(flags: string, description: string): OptSpec<string[]> {
    return {
      flags,
      description,
      takesValue: true,
      parse: (raw, previous) => [...(Array.isArray(previous) ? (previous as string[]) : []), raw],
      finish: (v) => (Array.isArray(v) ? (v as string[]) : []),
    };
  },
  /** A whole number within bounds. */
  int(flags: string, description: string, bounds: { min?: number; max?: number } = {}): OptSpec<number | undefined> {
    const { min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER } = bounds;
    return {
      flags,
      description,
      takesValue: true,
      parse: (raw) => {
        const n = Number(raw);
        if (!/^\s*-?\d+\s*$/.test(raw) || !Number.isSafeInteger(n)) throw bad(flags, raw, 'expected a whole number.');
        if (n < min || n > max) throw bad(flags, raw, max === Number.MAX_SAFE_INTEGER ? `expected a number ≥ ${min}.` : `expected a number from ${min} to ${max}.`);
        return n;
      },
      finish: (v) => (v === undefined ? undefined : (v as number)),
    };
  },
  /** One of a fixed set of values. */
  choice<C extends string>(flags: string, description: string, choices: readonly C[]): OptSpec<C | undefined> {
    return {
      flags,
      description,
      choices,
      takesValue: true,
      parse: (raw) => {
        if (!(choices as readonly string[]).includes(raw)) throw bad(flags, raw, `use one of ${choices.join(', ')}.`);
        return raw;
      },
      finish: (v) => (v === undefined ? undefined : (v as C)),
    };
  },
  /** A point in time: ISO 8601 (`2026-12-01`, `2026-12-01T12:00:00Z`) or anything `Date` reads unambiguously. */
  date(flags: string, description: string): OptSpec<Date | undefined> {
    return {
      flags,
      description,
      takesValue: true,
      parse: (raw) => {
        const d = new Date(raw);
        if (raw.trim() === '' || Number.isNaN(d.getTime())) throw bad(flags, raw, 'expected a date such as 2026-12-01 or 2026-12-01T12:00:00Z.');
        return d;
      },
      finish: (v) => (v === undefined ? undefined : (v as Date)),
    };
  },
  /** Gives an option a default value (shown in help). */
  withDefault<T>(spec: OptSpec<T | undefined>, value: T): OptSpec<T> & { defaultValue: T } {
    return { ...spec, defaultValue: value, finish: (v) => spec.finish(v) ?? value };
  },
};

/** The values `run` receives for a record of option specs. */
export type OptValues<O extends Record<string, OptSpec>> = { [K in keyof O]: O[K] extends OptSpec<infer T> ? T : never };

// ── definitions ────────────────────────────────────────────────────────────────────────────

/** A command: where it sits in the tree, what it takes, what it does. */
export interface CommandDefinition<A extends readonly ArgSpec[] = readonly ArgSpec[], O extends Record<string, OptSpec> = Record<string, OptSpec>> {
  /** Path in the command tree, e.g. `['model', 'version', 'update']`. */
  readonly path: readonly string[];
  /** One line for the command list. */
  readonly summary: string;
  /** Longer help text (optional). */
  readonly description?: string;
  readonly args: A;
  readonly options: O;
  /** Example invocations shown under the help. */
  readonly examples?: readonly string[];
  /** Cross-option checks after every value parsed (throw `UsageError`). */
  readonly validate?: (args: ArgValues<A>, options: OptValues<O>) => void;
  readonly run: (ctx: CliContext, args: ArgValues<A>, options: OptValues<O>) => Promise<void>;
}

/** Declares a command with full type inference of its arguments and options. */
export function defineCommand<const A extends readonly ArgSpec[], O extends Record<string, OptSpec>>(
  definition: CommandDefinition<A, O>,
): CommandDefinition<A, O> {
  return definition;
}

/** A definition with its generic parameters erased, for the registry. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCommandDefinition = CommandDefinition<readonly ArgSpec[], any>;
