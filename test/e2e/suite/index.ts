// Entry point of the in-host (extension-host) test suites. VS Code loads this module in the
// real extension host (code-server via test/e2e/run.mjs, or desktop VS Code via
// test/e2e/run-electron.mjs) and awaits `run()`.
//
// esbuild bundles this file (and only this file, of test/e2e/suite) into
// out/test/e2e/suite/index.js, so every suite is imported here. The suites are named
// `*.host.ts`, not `*.test.ts`: that keeps them out of the plain-Node mocha runs
// (.mocharc.json) and out of esbuild's separate test bundles. They export a function that
// declares their `describe` blocks, because `describe`/`it` only exist once the Mocha
// instance below has emitted `pre-require`.
import Mocha from 'mocha';
import { writeFileSync } from 'node:fs';
import registerDiagnostics from './diagnostics.host';
import registerQuickFix from './quickfix.host';
import registerFeatures from './features.host';
import registerTrace from './trace.host';
import registerOptimize from './optimize.host';
import registerFirmware from './firmware.host';
import registerDeviceDump from './deviceDump.host';
import registerDeviceDebug from './deviceDebug.host';
import registerRestricted from './restricted.host';
import registerSelfTest from './selftest.host';

/**
 * Suites in the order they run, per phase of the harness (run.mjs sets DRONE_HEAP_E2E_PHASE):
 * `host` runs in a trusted workspace, `host-restricted` in Restricted Mode. Add new
 * `*.host.ts` suites here (e.g. code lens, heap view).
 */
const PHASES: Record<string, Array<() => void>> = {
  host: [
    registerDiagnostics,
    registerQuickFix,
    registerFeatures,
    registerTrace,
    registerOptimize,
    registerFirmware,
    registerDeviceDump,
    registerDeviceDebug,
    registerSelfTest,
  ],
  'host-restricted': [registerRestricted, registerSelfTest],
};
// Without the variable (run-electron.mjs, a trusted workspace): the trusted suites.
const suites = PHASES[process.env.DRONE_HEAP_E2E_PHASE ?? 'host'] ?? [];

/** One line per test, also written to $DRONE_HEAP_E2E_RESULT for the harness to count. */
interface TestResult {
  title: string;
  state: 'passed' | 'failed';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 120_000, reporter: 'spec' });
  // Make describe/it/before… available as globals and as mocha's named exports.
  mocha.suite.emit('pre-require', globalThis, 'test/e2e/suite/index.ts', mocha);
  for (const register of suites) register();
  if (suites.length === 0) throw new Error(`no in-host suites for DRONE_HEAP_E2E_PHASE=${process.env.DRONE_HEAP_E2E_PHASE}`);

  const results: TestResult[] = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      const file = process.env.DRONE_HEAP_E2E_RESULT;
      if (file) writeFileSync(file, JSON.stringify({ results }, null, 2));
      // Rejecting makes VS Code report a non-zero exit code (codeAutomationExit / test-electron).
      if (failures > 0) reject(new Error(`${failures} in-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
    // 'fail' also fires for failing hooks; those count as one failed entry each.
    runner.on('fail', (t, err: Error) =>
      results.push({ title: t.fullTitle(), state: 'failed', error: String(err?.stack ?? err).slice(0, 2000) }),
    );
  });
}
