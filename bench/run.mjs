// Runs the benchmarks: bundles bench/*.bench.ts with esbuild and runs each in its own
// Node process (so one benchmark's heap does not disturb the next).
//   npm run bench                 all benchmarks
//   npm run bench -- diagnostics  only bench/diagnostics.bench.ts
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import * as esbuild from 'esbuild';

const only = process.argv.slice(2);
const names = readdirSync('bench')
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .filter((name) => only.length === 0 || only.includes(name));
if (names.length === 0) {
  console.error(`no benchmark named ${only.join(', ')}`);
  process.exit(2);
}
await esbuild.build({
  entryPoints: names.map((n) => `bench/${n}.bench.ts`),
  outdir: 'out/bench',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
});
let failed = false;
for (const name of names) {
  console.log(`\n=== ${name} ===`);
  const result = spawnSync(process.execPath, ['--expose-gc', `out/bench/${name}.bench.js`], { stdio: 'inherit' });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
