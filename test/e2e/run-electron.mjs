#!/usr/bin/env node
// Runs the same in-host mocha suites as test/e2e/run.mjs (out/test/e2e/suite/index.js) in a desktop
// VS Code, with @vscode/test-electron 2.x — for machines that can download VS Code.
//
// IT CANNOT RUN ON THE PROJECT'S OWN MACHINES: @vscode/test-electron downloads a VS Code build
// from the internet at test time, and those machines reach only the npm registry and Debian's
// packages. There, use `npm run test:e2e` (code-server + Chromium), which runs the same suites.
//
//   npm run test:e2e:electron            = node esbuild.mjs && node test/e2e/run-electron.mjs
//   VSCODE_VERSION=1.91.0 npm run test:e2e:electron     (default: latest stable)
//   --inject-failure                     add one deliberately failing test (harness self-test)
// On a Linux machine without a display, run it under `xvfb-run -a`.
//
// Prints `N passed, N failed` like run.mjs and exits non-zero when anything failed.
import testElectron from '@vscode/test-electron';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { copyTestWorkspace } from './lib/codeServer.mjs';

const { runTests } = testElectron; // CommonJS package: take the export off the default import

const E2E = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(E2E, '..', '..');
const RUN = join(ROOT, '.e2e-run', 'electron'); // gitignored
const suite = join(ROOT, 'out', 'test', 'e2e', 'suite', 'index.js');

for (const file of [suite, join(ROOT, 'dist', 'client.js')]) {
  if (!existsSync(file)) {
    console.error(`[e2e-electron] ${file} is missing: run \`node esbuild.mjs\` first`);
    process.exit(2);
  }
}

// A copy of the fixtures (the quick fix and trace suites edit documents; traced/ comes from
// examples/sensor-logger) and a fresh profile.
rmSync(RUN, { recursive: true, force: true });
mkdirSync(RUN, { recursive: true });
const ws = join(RUN, 'ws');
copyTestWorkspace(ws);
const resultFile = join(RUN, 'result.json');

let code;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION || undefined,
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: suite,
    extensionTestsEnv: {
      DRONE_HEAP_E2E_RESULT: resultFile,
      ...(process.argv.includes('--inject-failure') ? { DRONE_HEAP_E2E_INJECT_FAILURE: '1' } : {}),
    },
    launchArgs: [
      ws,
      '--user-data-dir',
      join(RUN, 'ud'),
      '--extensions-dir',
      join(RUN, 'exts'),
      '--disable-workspace-trust',
      '--disable-extensions', // other installed extensions; the one under development still loads
      '--skip-welcome',
      '--skip-release-notes',
    ],
  });
} catch (e) {
  // runTests rejects when VS Code exits non-zero (failing tests) or cannot be downloaded/started.
  console.error(`[e2e-electron] ${e?.message ?? e}`);
  code = 1;
}

const results = existsSync(resultFile) ? JSON.parse(readFileSync(resultFile, 'utf8')).results : [];
for (const r of results)
  console.log(`  ${r.state === 'passed' ? 'ok  ' : 'FAIL'} [host] ${r.title}${r.error ? `\n        ${r.error.split('\n')[0]}` : ''}`);
const passed = results.filter((r) => r.state === 'passed').length;
let failed = results.length - passed;
// A run that failed without a failing test (crash, no download) still counts as one failure.
if ((code !== 0 || results.length === 0) && failed === 0) failed = 1;
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
