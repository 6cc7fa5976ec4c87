// Checks that two builds of the CLI print the same bytes: `simulate`, `compare`, `optimize`
// (exact and --minimal) and `stats`, all with --json, on every trace the tests use plus the
// end-to-end bench's generated trace (when it is there). For speed work: build the old CLI
// to a file first, then
//   node bench/sameResults.mjs /tmp/cli-old.js dist/cli.js
// Exit 1 on the first difference (the command is printed), 0 when every output is equal.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [oldCli, newCli] = process.argv.slice(2);
if (!oldCli || !newCli) {
  console.error('usage: node bench/sameResults.mjs OLD_CLI NEW_CLI');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
const fixtures = join(root, 'test', 'fixtures');
const example = join(root, 'examples', 'sensor-logger');
const cases = [];
const traces = [
  ...readdirSync(join(fixtures, 'traces'))
    .filter((f) => f.endsWith('.txt'))
    .map((f) => join(fixtures, 'traces', f)),
  join(example, 'heaptrace'),
  join(fixtures, 'device', 'sequence-1.trace'),
  join(fixtures, 'device', 'sequence-2.trace'),
];
const configs = [join(example, 'Drone.toml'), join(fixtures, 'device', 'Drone.toml')];
const bench = join(process.env.DRONE_HEAP_BENCH_CACHE ?? join(tmpdir(), 'drone-heap-bench-e2e'));
if (existsSync(join(bench, 'e2e-10000000.trace'))) {
  traces.push(join(bench, 'e2e-10000000.trace'));
  configs.push(join(bench, 'Drone.toml'));
}
for (const trace of traces) {
  for (const config of configs) {
    cases.push(['simulate', '--config', config, '--trace', trace, '--json']);
    cases.push(['compare', '--config', config, '--trace', trace, '--json']);
    cases.push(['optimize', '--config', config, '--trace', trace, '--json']);
    cases.push(['optimize', '--config', config, '--trace', trace, '--minimal', '--json']);
  }
  cases.push(['stats', '--trace', trace, '--json']);
}
let compared = 0;
for (const args of cases) {
  const run = (cli) => spawnSync(process.execPath, [cli, ...args], { encoding: 'buffer', maxBuffer: 1 << 30 });
  const a = run(oldCli);
  const b = run(newCli);
  if (a.status !== b.status || !a.stdout.equals(b.stdout) || !a.stderr.equals(b.stderr)) {
    console.error(`different: drone-heap ${args.join(' ')} (exit ${a.status} vs ${b.status})`);
    process.exit(1);
  }
  compared++;
}
console.log(`same bytes, same exit status: ${compared} runs`);
