#!/usr/bin/env node
// The `modelplane` command. Everything but the entry lives in wrapper.ts (errors, exit codes) and
// program.ts (the command tree); commands load the SDK and store only when they run.
// `npm run build` compiles this with tsc and then bundles it (esbuild, see the `build:cli` script) into
// dist/cli/main.js plus chunks, so that a command starts from a few files instead of hundreds.

// Stack traces of unexpected errors (MODELPLANE_DEBUG=1) point into src/ through the source maps.
if (process.env.MODELPLANE_DEBUG === '1' || process.env.MODELPLANE_DEBUG === 'true') process.setSourceMapsEnabled(true);

// `modelplane … | head` closes the pipe early: stop quietly instead of failing with EPIPE.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const { processIo, runCli } = await import('./wrapper.js');
process.exitCode = await runCli(process.argv.slice(2), processIo());
