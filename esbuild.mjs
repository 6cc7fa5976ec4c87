// Builds every bundle of the project with esbuild. Type checking is separate (`tsc --noEmit`).
//   node esbuild.mjs               development bundles (with source maps) + test bundles
//   node esbuild.mjs --production  minified product bundles only (what the .vsix ships)
import * as esbuild from 'esbuild';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');

/** Product bundles: one per process the product runs in. */
const productBundles = [
  { entryPoints: { client: 'client/src/extension.ts' }, external: ['vscode'] },
  { entryPoints: { server: 'server/src/server.ts' } },
  { entryPoints: { worker: 'server/src/worker/traceWorker.ts' } },
  { entryPoints: { cli: 'server/src/cli.ts' }, banner: { js: '#!/usr/bin/env node' } },
];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
};

function findTests(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) findTests(path, out);
    else if (/\.test\.ts$/.test(name) || path === join('test', 'e2e', 'suite', 'index.ts')) out.push(path);
  }
  return out;
}

/** The heap view page: runs in the webview (a browser), loaded as dist/webview.js + dist/webview.css. */
const webviewBundle = {
  ...common,
  entryPoints: { webview: 'client/src/heapView/page/main.ts' },
  outdir: 'dist',
  platform: 'browser',
  format: 'iife',
  target: 'chrome114',
};

await Promise.all([...productBundles.map((b) => esbuild.build({ ...common, outdir: 'dist', ...b })), esbuild.build(webviewBundle)]);

if (!production) {
  // Tests are bundled too (the parser is ESM-only; bundling sidesteps CJS/ESM interop).
  // Packages that load files relative to themselves, or are provided by the host, stay external.
  // out/test is rebuilt from scratch: a renamed or deleted test must not keep running from an old bundle.
  rmSync(join('out', 'test'), { recursive: true, force: true });
  await esbuild.build({
    ...common,
    entryPoints: findTests('test'),
    outdir: 'out',
    outbase: '.',
    sourcemap: 'inline',
    external: ['vscode', 'mocha', 'vscode-oniguruma', 'vscode-textmate', 'playwright-core'],
  });
}
