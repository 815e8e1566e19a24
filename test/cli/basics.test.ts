/**
 * The CLI as a program: version and help without touching the store, usage errors (exit 2 with a
 * usage line), failures (exit 1, one line), colours only on a terminal and never with NO_COLOR or
 * --no-color, and shell completion.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../../src/index.js';
import { BIN, cli, cliOnTty, ensureBuilt, HAVE_SCRIPT, hasAnsi, REPO, tempHome } from './helpers.js';

let home: string;
const pkg = JSON.parse(readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { version: string };

beforeAll(async () => {
  ensureBuilt();
  home = tempHome();
  const client = new Client({ home, actor: 'seeder' });
  await client.createModel({ name: 'iris_classifier', license: 'Apache 2.0', tags: ['iris'] });
  await client.createModelVersion({ model: 'iris_classifier' });
  await client.updateModelVersion('iris_classifier', 1, { stage: 'production' });
  await client.close();
});

afterAll(() => rmSync(home, { recursive: true, force: true }));

describe('version and help', () => {
  it('prints the package version and help without opening a store', async () => {
    const fresh = path.join(tempHome(), 'not-created');
    const version = await cli(['--version'], { home: fresh });
    expect(version).toMatchObject({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });

    const help = await cli(['--help'], { home: fresh });
    expect(help.code).toBe(0);
    for (const word of ['model', 'artifact', 'run', 'completion', '--version', '--no-color']) expect(help.stdout).toContain(word);

    const sub = await cli(['model', 'version', 'update', '--help'], { home: fresh });
    expect(sub.code).toBe(0);
    for (const word of ['--stage', '--force', '--reason', '--name', '--description', '--tag', '--remove-tag', 'Examples:']) expect(sub.stdout).toContain(word);
    expect(sub.stdout).toMatch(/choices: "none",\s+"staging",\s+"production",\s+"archived"/);

    expect(existsSync(fresh)).toBe(false); // nothing opened (or created) the store
  });

  it('help of every command lists its options', async () => {
    const paths = [
      ['model', 'register'], ['model', 'list'], ['model', 'describe'], ['model', 'update'], ['model', 'delete'],
      ['model', 'version', 'list'], ['model', 'version', 'describe'], ['model', 'version', 'delete'], ['model', 'version', 'artifacts'],
      ['model', 'version', 'runs'], ['model', 'version', 'history'], ['model', 'version', 'compare'],
      ['artifact', 'list'], ['artifact', 'describe'], ['artifact', 'download'], ['artifact', 'gc'], ['run', 'list'], ['run', 'describe'],
    ];
    const results = await Promise.all(paths.map((p) => cli([...p, '--help'], { home })));
    results.forEach((r, i) => {
      expect(r.code, paths[i]!.join(' ')).toBe(0);
      expect(r.stdout).toContain(`Usage: modelplane ${paths[i]!.join(' ')}`);
    });
    // Listings and describes take --output; listings also --filter, --sort, --page, --size.
    for (const i of [1, 5, 8, 9, 10, 12, 16]) expect(results[i]!.stdout).toMatch(/--filter <expr>[\s\S]*--sort <field>[\s\S]*--page <n>[\s\S]*--size <n>/);
    for (const i of [1, 2, 5, 6, 8, 9, 10, 11, 12, 13, 15, 16, 17]) expect(results[i]!.stdout).toContain('--output <format>');
  });
});

describe('usage errors exit 2 with one line and the usage', () => {
  const cases: Array<[string, string[], RegExp]> = [
    ['unknown option', ['model', 'list', '--bogus'], /^error: unknown option '--bogus'\nusage: modelplane model list \[options\]\nRun 'modelplane model list --help' for details\.\n$/],
    ['unknown command', ['modle', 'list'], /^error: unknown command 'modle' \(Did you mean model\?\)\nusage: modelplane /],
    ['unknown subcommand', ['model', 'frobnicate'], /^error: unknown command 'frobnicate'\nusage: modelplane model /],
    ['missing argument', ['model', 'describe'], /^error: missing required argument 'name'\nusage: modelplane model describe \[options\] <name>\n/],
    ['too many arguments', ['model', 'list', 'extra'], /^error: too many arguments for 'list'/],
    ['invalid choice', ['model', 'list', '--output', 'xml'], /^error: option '--output' argument 'xml' is invalid: use one of table, json, yaml, csv\.\nusage: modelplane model list/],
    ['invalid number', ['model', 'list', '--size', 'ten'], /^error: option '--size' argument 'ten' is invalid: expected a whole number\./],
    ['number out of range', ['model', 'list', '--size', '5000'], /^error: option '--size' argument '5000' is invalid: expected a number from 1 to 1000\./],
    ['invalid stage', ['model', 'version', 'update', 'iris_classifier', '1', '--stage', 'latest'], /^error: option '--stage' argument 'latest' is invalid: use one of none, staging, production, archived\./],
    ['invalid date', ['model', 'version', 'history', 'iris_classifier', '--at', 'yesterday-ish'], /^error: option '--at' argument 'yesterday-ish' is invalid: expected a date/],
    ['missing option value', ['model', 'register', 'x', '--license'], /^error: option '--license <text>' argument missing\n/],
    ['nothing to update', ['model', 'update', 'iris_classifier'], /^error: nothing to update: pass at least one of --name, /],
    ['--force without --stage', ['model', 'version', 'update', 'iris_classifier', '1', '--force'], /^error: --force and --reason apply to a stage change: add --stage\.\nusage: modelplane model version update/],
    ['invalid artifact version', ['artifact', 'describe', 'x', 'two'], /^error: argument 'version' is invalid: artifact versions are whole numbers from 1, got 'two'\.\nusage: modelplane artifact describe/],
    ['download without --out', ['artifact', 'download', 'x'], /^error: missing required option '--out <file>'/],
    ['unknown shell', ['completion', 'fish'], /^error: argument 'shell' is invalid: use bash or zsh, got 'fish'\.\n/],
  ];
  it.each(cases)('%s', async (_name, args, stderr) => {
    const r = await cli(args, { home });
    expect(r.stderr).toMatch(stderr);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
  });

  it('a group without its subcommand shows the group help on stderr', async () => {
    const r = await cli(['model', 'version'], { home });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('Usage: modelplane model version');
    expect(r.stderr).toContain('compare');
  });
});

describe('failures exit 1 with one line', () => {
  it('modelplane errors print their message only', async () => {
    const r = await cli(['model', 'describe', 'nope'], { home });
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^error: Model "nope" not found\.[^\n]*\n$/);
  });

  it('unexpected errors print one line, the stack only with MODELPLANE_DEBUG=1', async () => {
    const dir = tempHome();
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, 'x');
    const r = await cli(['model', 'list'], { home: notAFolder });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: .*ENOTDIR.*\(unexpected error; set MODELPLANE_DEBUG=1 for the stack trace\)\n$/);

    const debug = await cli(['model', 'list'], { home: notAFolder, env: { MODELPLANE_DEBUG: '1' } });
    expect(debug.code).toBe(1);
    expect(debug.stderr.split('\n')[0]).toMatch(/^error: .*ENOTDIR.*\(unexpected error\)$/);
    expect(debug.stderr).toMatch(/\n\s+at /); // the stack trace
    rmSync(dir, { recursive: true, force: true });
  });

  it('the output of a closed pipe ends quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${BIN}" completion bash | head -n 1`], { env: { ...process.env, MODELPLANE_HOME: home }, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^# bash completion for modelplane/);
    expect(r.stderr).toBe('');
  });
});

describe('colours', () => {
  it('never when piped (and tables stay tables, not JSON)', async () => {
    const r = await cli(['model', 'version', 'list', 'iris_classifier'], { home });
    expect(r.code).toBe(0);
    expect(hasAnsi(r.stdout)).toBe(false);
    expect(r.stdout).toMatch(/^VERSION\s+NAME\s+STAGE/);
  });

  it.skipIf(!HAVE_SCRIPT)('on a terminal, unless NO_COLOR or --no-color', async () => {
    const args = ['model', 'version', 'list', 'iris_classifier'];
    const [colored, noColorEnv, noColorFlag, emptyNoColor] = await Promise.all([
      cliOnTty(args, { home }),
      cliOnTty(args, { home, env: { NO_COLOR: '1' } }),
      cliOnTty([...args, '--no-color'], { home }),
      cliOnTty(args, { home, env: { NO_COLOR: '' } }),
    ]);
    for (const r of [colored, noColorEnv, noColorFlag, emptyNoColor]) {
      expect(r.code).toBe(0);
      expect(r.output).toContain('production');
    }
    expect(hasAnsi(colored.output)).toBe(true);
    expect(hasAnsi(noColorEnv.output)).toBe(false);
    expect(hasAnsi(noColorFlag.output)).toBe(false);
    expect(hasAnsi(emptyNoColor.output)).toBe(true); // NO_COLOR counts only when non-empty

    const error = await cliOnTty(['model', 'describe', 'nope'], { home, env: { NO_COLOR: '1' } });
    expect(error.code).toBe(1);
    expect(hasAnsi(error.output)).toBe(false);
    expect(error.output).toContain('error: Model "nope" not found.');
  });
});

describe('completion', () => {
  it('bash: completes commands, subcommands, options and option values', async () => {
    const r = await cli(['completion', 'bash'], { home });
    expect(r.code).toBe(0);
    const script = path.join(tempHome(), 'modelplane.bash');
    writeFileSync(script, r.stdout);
    const complete = (words: string[]) => {
      const line = words.map((w) => `'${w}'`).join(' ');
      const out = spawnSync('bash', ['-c', `source '${script}'; COMP_WORDS=(${line}); COMP_CWORD=${words.length - 1}; _modelplane; printf '%s\\n' "\${COMPREPLY[@]}"`], { encoding: 'utf8' });
      expect(out.stderr).toBe('');
      return out.stdout.trim().split('\n').filter(Boolean);
    };
    expect(complete(['modelplane', ''])).toEqual(expect.arrayContaining(['model', 'artifact', 'run', 'completion', '--version', '--no-color']));
    expect(complete(['modelplane', 'model', 'ver'])).toEqual(['version']);
    expect(complete(['modelplane', 'model', 'version', ''])).toEqual(expect.arrayContaining(['list', 'describe', 'update', 'delete', 'artifacts', 'runs', 'history', 'compare']));
    expect(complete(['modelplane', 'model', 'version', 'update', 'm', '1', '--st'])).toEqual(['--stage']);
    expect(complete(['modelplane', 'model', 'version', 'update', 'm', '1', '--stage', ''])).toEqual(['none', 'staging', 'production', 'archived']);
    expect(complete(['modelplane', 'model', 'list', '--output', 'y'])).toEqual(['yaml']);
    expect(complete(['modelplane', 'model', 'version', 'artifacts', 'm', '1', '--type', ''])).toEqual(['model', 'data', 'deployment']);
    expect(complete(['modelplane', 'artifact', 'list', '--type', 's'])).toEqual(['statistics', 'schema']);
    expect(complete(['modelplane', 'completion', ''])).toEqual(expect.arrayContaining(['bash', 'zsh']));
    expect(complete(['modelplane', '--no-color', 'run', ''])).toEqual(expect.arrayContaining(['list', 'describe']));
  });

  it('zsh: a #compdef function covering the same tree', async () => {
    const r = await cli(['completion', 'zsh'], { home });
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('#compdef modelplane\n')).toBe(true);
    for (const text of ["'model version update|--stage') compadd -- 'none' 'staging' 'production' 'archived'", "'artifact download|--out') _files", "'compare:compare the metadata", 'compdef _modelplane modelplane']) {
      expect(r.stdout).toContain(text);
    }
    const zsh = spawnSync('zsh', ['-n'], { input: r.stdout, encoding: 'utf8' });
    if (zsh.error === undefined) expect(zsh.status, zsh.stderr).toBe(0); // syntax check where zsh is installed
  });
});
