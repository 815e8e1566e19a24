// @ts-check
/**
 * ESLint flat config. Generic rules: typescript-eslint `recommended` (syntax only, no type information,
 * so `npm run lint` stays fast). Architecture rules: the import direction of DESIGN.md §5, enforced with
 * the built-in `no-restricted-imports` rule, one generated block per folder of `src/`.
 *
 * How the import rules work: imports inside `src/` are relative (`../store/x.js`). For a file at a known
 * depth below its layer folder we know exactly how many `../` reach `src/`, so every import that climbs
 * that far must continue into a folder the layer may import; anything else (another layer, `src/index.ts`,
 * `test/`, the repository root, a folder that does not exist yet) is an error. This is an allow-list: a
 * new top-level folder under `src/` has to be added to MAY_IMPORT below before anyone can import it.
 * Unit tests beside the code (`*.test.ts`) follow their layer's rule but may also import test/support.
 * Dynamic `import('…')` is checked too, through `no-restricted-syntax` selectors built from the same regexes.
 * Note that ESLint applies only the LAST matching block's options for a rule, so each generated block
 * carries the complete option set for its files; a block added later that sets `no-restricted-imports`
 * or `no-restricted-syntax` for src/ files would silently replace the architecture rules — extend
 * importOptions()/dynamicImportSelectors() instead.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

/** Who may import whom (DESIGN.md §5). A layer may always import its own folder. */
const MAY_IMPORT = {
  domain: [],
  store: ['domain'],
  artifacts: ['domain'],
  backend: ['domain', 'store', 'artifacts'],
  sdk: ['domain', 'artifacts', 'backend'],
  orchestrators: ['domain', 'artifacts', 'backend', 'sdk'],
  server: ['domain', 'artifacts', 'backend', 'store'],
  // cli may import every layer; nothing may import cli.
  cli: ['domain', 'store', 'artifacts', 'backend', 'sdk', 'orchestrators', 'server'],
};
/** The only files of src/ that may read process.env (besides tests). */
const ENV_ENTRY_POINTS = ['src/cli/**', 'src/sdk/config.ts', 'src/server/main.ts'];
/** Generated blocks cover files up to this many folders below a layer folder; deeper files get a looser rule. */
const MAX_DEPTH = 6;

const CODE = '{ts,tsx,mts,cts,js,mjs,cjs}';
const TESTS = ['**/*.test.ts', '**/*.test.tsx'];
const esc = (/** @type {string} */ s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const up = (/** @type {number} */ n) => '(?:\\.\\./)'.repeat(n);
const alt = (/** @type {string[]} */ names) => `(?:${names.map(esc).join('|')})`;
const DOC = 'see DESIGN.md §5';

/**
 * What git ignores is not linted either (scratch files, build output). A small translation of the
 * root .gitignore (no negations) instead of a dependency on @eslint/compat's includeIgnoreFile.
 */
function gitignored() {
  let text = '';
  try {
    text = readFileSync(new URL('./.gitignore', import.meta.url), 'utf8');
  } catch {
    return [];
  }
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#') && !line.startsWith('!'))
    .flatMap((line) => {
      const pattern = line.replace(/\/+$/, '');
      const anchored = pattern.includes('/');
      const glob = anchored ? pattern.replace(/^\//, '') : `**/${pattern}`;
      return [glob, `${glob}/**`];
    });
}

/** `import { env } from 'node:process'` is process.env by another name. */
const envImportPaths = ['process', 'node:process'].map((name) => ({
  name,
  importNames: ['env'],
  message: 'Read configuration only in entry points (src/cli/**, src/sdk/config.ts, src/server/main.ts) and pass it down.',
}));
const nodeBuiltinPaths = builtinModules
  .filter((m) => !m.startsWith('_'))
  .map((name) => ({ name, message: `src/domain is pure: no Node APIs (${DOC}).` }));
const selfImport = {
  name: 'modelplane',
  message: 'Inside src/ import the module itself, not the package root (which resolves to dist/).',
};

/**
 * The complete `no-restricted-imports` options for one group of files.
 * @param {{ layer: string | null, depth: number | null, test: boolean, env: boolean }} o
 *   layer null = a file directly in src/ (src/index.ts); depth null = deeper than MAX_DEPTH (approximate rule).
 */
function importOptions({ layer, depth, test, env }) {
  /** @type {any[]} */
  const paths = [selfImport];
  /** @type {any[]} */
  const patterns = [];
  if (!env) paths.push(...envImportPaths);
  const testSupport = test ? 'test/support/' : null;

  if (layer === null) {
    // src/index.ts and friends: everything but cli; nothing outside src but (for tests) test/support.
    patterns.push(
      { regex: '^\\./cli(?:/|$)', message: `Nothing imports src/cli (${DOC}).` },
      {
        regex: `^\\.\\./${testSupport ? `(?!${esc(testSupport)})` : ''}`,
        message: `Files in src/ import only from src/${test ? ' (tests also from test/support)' : ''}.`,
      },
    );
  } else {
    const allowed = [...new Set([layer, ...(MAY_IMPORT[/** @type {keyof MAY_IMPORT} */ (layer)] ?? [])])];
    const message =
      `src/${layer} may import only ${allowed.map((l) => `src/${l}`).join(', ')}` +
      `${test ? ' (tests also test/support)' : ''}; ${DOC}.`;
    if (depth !== null) {
      // Exactly depth+1 `../` reach src/; whatever follows must be an allowed layer folder.
      const ok = [`${alt(allowed)}(?:/|$)`];
      if (testSupport) ok.push(`\\.\\./${esc(testSupport)}`);
      patterns.push({ regex: `^${up(depth + 1)}(?!${ok.join('|')})`, message });
    } else {
      // Unknown depth: forbid climbing into any other known top-level folder.
      const forbidden = Object.keys(MAY_IMPORT).filter((l) => !allowed.includes(l));
      const outside = ['test', 'bench', 'examples', 'dashboard'];
      patterns.push({
        regex: `^(?:\\.\\./)+(?:src/)?(?:${alt(forbidden)}|${test ? '(?:test(?!/support/))|' : ''}${alt(outside)})(?:/|$)`,
        message,
      });
    }
    if (layer === 'domain') {
      paths.push(...nodeBuiltinPaths);
      patterns.push({ regex: '^node:', message: `src/domain is pure: no Node APIs (${DOC}).` });
    }
  }
  return { paths, patterns };
}

/**
 * `no-restricted-imports` sees only static imports and re-exports; mirror its rules for `import('…')`
 * with `no-restricted-syntax` selectors (esquery regexes may not contain `/`, hence `\x2F`).
 * @param {{ paths: any[], patterns: any[] }} options
 */
function dynamicImportSelectors({ paths, patterns }) {
  const toSelector = (/** @type {string} */ regex, /** @type {string} */ message) => ({
    selector: `ImportExpression[source.value=/${regex.replaceAll('/', '\\x2F')}/]`,
    message: `Dynamic import: ${message}`,
  });
  const selectors = patterns.map((p) => toSelector(p.regex, p.message));
  /** @type {Map<string, string[]>} */
  const namesByMessage = new Map();
  for (const p of paths.filter((p) => !p.importNames)) namesByMessage.set(p.message, [...(namesByMessage.get(p.message) ?? []), p.name]);
  for (const [message, names] of namesByMessage) selectors.push(toSelector(`^${alt(names)}$`, message));
  return selectors;
}

/** Files of one layer at one depth (null = any depth), optionally only tests or only some files. */
function layerFiles(/** @type {string} */ layer, /** @type {number | null} */ depth) {
  return depth === null ? [`src/${layer}/**/*.${CODE}`] : [`src/${layer}/${'*/'.repeat(depth)}*.${CODE}`];
}

/** @returns {import('eslint').Linter.Config[]} */
function architectureBlocks() {
  /** @type {import('eslint').Linter.Config[]} */
  const blocks = [];
  const add = (/** @type {string} */ name, /** @type {string[]} */ files, /** @type {Parameters<typeof importOptions>[0]} */ o) => {
    const options = importOptions(o);
    blocks.push({
      name,
      files,
      rules: { 'no-restricted-imports': ['error', options], 'no-restricted-syntax': ['error', ...dynamicImportSelectors(options)] },
    });
  };

  // Order matters: later blocks override earlier ones. Generic → exact depth → tests → env entry points.
  for (const test of [false, true]) {
    const sfx = test ? '/tests' : '';
    const pick = (/** @type {string[]} */ files) =>
      test ? files.map((f) => f.replace(/\*\.\{[^}]+\}$/, '*.test.{ts,tsx}')) : files;
    add(`modelplane/arch/src-root${sfx}`, pick([`src/*.${CODE}`]), { layer: null, depth: 0, test, env: test });
    for (const layer of Object.keys(MAY_IMPORT)) {
      const env = test || layer === 'cli';
      add(`modelplane/arch/${layer}/deep${sfx}`, pick(layerFiles(layer, null)), { layer, depth: null, test, env });
      for (let depth = 0; depth <= MAX_DEPTH; depth++) {
        add(`modelplane/arch/${layer}/${depth}${sfx}`, pick(layerFiles(layer, depth)), { layer, depth, test, env });
      }
    }
  }
  // Non-cli entry points may read the environment: same layer rule, minus the env import ban.
  add('modelplane/arch/entry/sdk-config', ['src/sdk/config.ts'], { layer: 'sdk', depth: 0, test: false, env: true });
  add('modelplane/arch/entry/server-main', ['src/server/main.ts'], { layer: 'server', depth: 0, test: false, env: true });
  return blocks;
}

export default [
  {
    name: 'modelplane/ignores',
    ignores: ['**/dist/**', '**/node_modules/**', 'dashboard/dist/**', 'bench/results/**', ...gitignored()],
  },
  ...tseslint.configs.recommended,
  {
    name: 'modelplane/generic',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },

  // ---- import direction (DESIGN.md §5) ----
  ...architectureBlocks(),
  {
    // Domain code is pure: no Node globals either (imports are handled above).
    name: 'modelplane/arch/domain-globals',
    files: [`src/domain/**/*.${CODE}`],
    ignores: TESTS,
    rules: {
      'no-restricted-globals': [
        'error',
        ...['process', 'Buffer', 'require', 'module', '__dirname', '__filename', 'global', 'setImmediate'].map((name) => ({
          name,
          message: `src/domain is pure: no Node APIs (${DOC}).`,
        })),
      ],
    },
  },
  {
    // Tests, benchmarks and examples may import any layer, but nothing outside src/cli imports src/cli
    // (tests excepted: in-process CLI tests are allowed). The dashboard imports only types from src/domain.
    name: 'modelplane/arch/bench-examples',
    files: [`bench/**/*.${CODE}`, `examples/**/*.${CODE}`],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ regex: '(?:^|/)src/cli(?:/|$)', message: `Nothing imports src/cli (${DOC}).` }] },
      ],
    },
  },
  {
    name: 'modelplane/arch/dashboard',
    files: [`dashboard/**/*.${CODE}`],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?:\\.\\./)+src/domain/',
              allowTypeImports: true,
              message: `The dashboard imports only types from src/domain (use \`import type\`); ${DOC}.`,
            },
            {
              regex: '^(?:\\.\\./)+src/(?!domain/)',
              message: `The dashboard talks to the REST API and imports only types from src/domain; ${DOC}.`,
            },
          ],
        },
      ],
    },
  },

  // ---- configuration is read in entry points only ----
  {
    name: 'modelplane/no-process-env',
    files: [`src/**/*.${CODE}`],
    ignores: [...ENV_ENTRY_POINTS, ...TESTS],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'process',
          property: 'env',
          message: 'Read configuration only in entry points (src/cli/**, src/sdk/config.ts, src/server/main.ts) and pass it down.',
        },
      ],
    },
  },
];
