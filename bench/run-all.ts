/**
 * Runs every benchmark file in bench/ (each `*.ts` here except this one), one after the other, each in
 * its own process so that none inherits another's heap, caches or open files. Results land in
 * bench/results/<name>.json. Exits non-zero when any bench fails or misses a budget.
 *
 * Usage: npm run bench            (or: npx tsx bench/run-all.ts [name-filter])
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.dirname(benchDir);
const filter = process.argv[2];

const files = readdirSync(benchDir)
  .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && f !== 'run-all.ts')
  .filter((f) => filter === undefined || f.includes(filter))
  .sort();

const outcomes: Array<{ file: string; code: number | null; sec: number }> = [];
for (const file of files) {
  console.log(`\n════ bench/${file} ════`);
  const t0 = performance.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (c) => resolve(c));
  });
  outcomes.push({ file, code, sec: (performance.now() - t0) / 1000 });
}

console.log('\n════ summary ════');
for (const o of outcomes) console.log(`${o.code === 0 ? 'ok  ' : 'FAIL'}  bench/${o.file}  (${o.sec.toFixed(1)}s${o.code === 0 ? '' : `, exit ${o.code}`})`);
if (outcomes.length === 0) console.log('no bench files found');
process.exitCode = outcomes.every((o) => o.code === 0) ? 0 : 1;
