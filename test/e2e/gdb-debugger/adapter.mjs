// The debug adapter VS Code starts for `drone-heap-test-gdb` sessions: cdt-gdb-adapter's
// target (remote) adapter, speaking DAP on stdin/stdout. This extension is installed from a
// .vsix into the test profile, away from the repository: test/e2e/run.mjs says where the
// repository (and its node_modules) is in DRONE_HEAP_E2E_ROOT.
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = process.env.DRONE_HEAP_E2E_ROOT;
if (!root) throw new Error('DRONE_HEAP_E2E_ROOT is not set: this adapter runs only under test/e2e/run.mjs');
createRequire(import.meta.url)(join(root, 'node_modules', 'cdt-gdb-adapter', 'dist', 'debugTargetAdapter.js'));
