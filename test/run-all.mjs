// `npm run test:all`: every test layer in order, on a fresh machine too. Forwards each
// stage's output as it comes, and ends with one summary line over all stages.
//   1. e2e setup (idempotent; apt packages need root)   npm run e2e:setup
//   2. build, type check, unit + LSP + CLI + grammar    npm test
//   3. real VS Code (code-server + Chromium)            npm run test:e2e
import { spawn } from 'node:child_process';

const stages = [
  { name: 'e2e setup', command: 'npm run e2e:setup' },
  { name: 'unit, LSP, CLI, grammar', command: 'npm test', summary: { passed: /(\d+) passing/g, failed: /(\d+) failing/g } },
  {
    name: 'real VS Code',
    command: 'npm run test:e2e',
    summary: { passed: /(\d+) passed, \d+ failed/g, failed: /\d+ passed, (\d+) failed/g },
  },
];

function run(stage) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.log(`\n##### ${stage.name}: ${stage.command}`);
    const child = spawn(stage.command, { shell: true, stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      process.stdout.write(chunk);
      output += chunk;
      if (output.length > 1e6) output = output.slice(-5e5);
    });
    child.on('close', (code) => resolve({ code, output, seconds: ((Date.now() - started) / 1000).toFixed(0) }));
  });
}

/** The number in the last match of a runner's summary line (0 when absent). */
function lastCount(text, pattern) {
  const matches = [...text.matchAll(pattern)];
  return matches.length ? Number(matches[matches.length - 1][1]) : 0;
}

let passed = 0;
let failed = 0;
const lines = [];
for (const stage of stages) {
  const { code, output, seconds } = await run(stage);
  // Strip colour codes before reading a runner's summary.
  // eslint-disable-next-line no-control-regex -- ESC is exactly what is matched
  const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
  if (stage.summary) {
    const p = lastCount(plain, stage.summary.passed);
    const f = lastCount(plain, stage.summary.failed);
    passed += p;
    failed += f;
    lines.push(`${stage.name}: ${p} passed, ${f} failed (${seconds} s)`);
    if (code !== 0 && f === 0) {
      failed += 1; // the stage failed before or after its tests ran: count it
      lines.push(`${stage.name}: exited with status ${code}`);
    }
  } else if (code !== 0) {
    console.log(`\n${stage.name} failed (status ${code}); the stages after it cannot run.`);
    console.log(`${passed} passed, ${failed + 1} failed`);
    process.exit(1);
  } else lines.push(`${stage.name}: done (${seconds} s)`);
}
console.log(`\n##### summary\n${lines.join('\n')}\n${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
