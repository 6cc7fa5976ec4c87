// The layering rules, enforced: the core knows nothing of LSP, VS Code, the terminal or the
// wire protocol; the wire protocol (protocol/) knows neither side; the client (the heap view
// page included) reaches the server only through protocol/, and on the server only
// server/src/features (and server.ts) speak it. common/ (how numbers are written) is the
// one folder every side may import, so it imports nothing. A violation fails here before it spreads.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { REPO_ROOT } from '../../support/paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports and re-exports, side-effect imports, import() and require(). */
export function importsOf(text: string): string[] {
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g,
    /(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g,
    /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1]));
}

const imports = (file: string): string[] => importsOf(readFileSync(file, 'utf8'));

/** Where a relative import points, as a path from the repository root ('/'-separated); null for packages. */
function target(file: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  return relative(REPO_ROOT, resolve(dirname(file), specifier))
    .split(sep)
    .join('/');
}

const within = (path: string | null, folder: string): boolean => path !== null && (path === folder || path.startsWith(folder + '/'));

/** `file imports specifier` for every import of the files under `folder` that `forbidden` rejects. */
function offenders(folder: string, forbidden: (specifier: string, target: string | null, file: string) => boolean): string[] {
  return sources(join(REPO_ROOT, folder)).flatMap((file) =>
    imports(file)
      .filter((m) => forbidden(m, target(file, m), file))
      .map((m) => `${relative(REPO_ROOT, file)} imports ${m}`),
  );
}

describe('architecture boundaries', () => {
  it('server/src/core imports no editor, protocol or shell module', () => {
    const found = offenders(
      'server/src/core',
      (m, to) =>
        /^vscode|languageserver|languageclient/.test(m) || (to !== null && !within(to, 'server/src/core') && !within(to, 'common')),
    );
    assert.deepEqual(found, []);
  });

  it('only the client imports vscode', () => {
    const found = ['server/src', 'protocol'].flatMap((folder) =>
      offenders(folder, (m) => m === 'vscode' || m.startsWith('vscode-languageclient')),
    );
    assert.deepEqual(found, []);
  });

  it('protocol/ imports nothing from the server or the client: only itself and the LSP protocol types', () => {
    const found = offenders('protocol', (m, to) => (to === null ? m !== 'vscode-languageserver-protocol' : !within(to, 'protocol')));
    assert.deepEqual(found, []);
  });

  it('the client and the heap view page import nothing from the server: they reach it through protocol/', () => {
    const found = offenders(
      'client',
      (m, to) =>
        /languageserver(?!-protocol)/.test(m) || (to !== null && !within(to, 'client') && !within(to, 'protocol') && !within(to, 'common')),
    );
    assert.deepEqual(found, []);
  });

  it('common/ imports nothing at all, and every side writes numbers through it', () => {
    assert.deepEqual(
      offenders('common', () => true),
      [],
    );
    const users = [
      'server/src/core/config/sizes.ts',
      'server/src/features/codeLens.ts',
      'client/src/traceStatus.ts',
      'client/src/heapView/page/dom.ts',
      'server/src/cli/simulate.ts',
    ];
    for (const file of users)
      assert.ok(
        imports(join(REPO_ROOT, file)).some((m) => m.endsWith('/common/format')),
        `${file} imports common/format`,
      );
  });

  it('on the server, only features/ and server.ts import protocol/', () => {
    const found = offenders('server/src', (_m, to, file) => {
      const from = relative(REPO_ROOT, file).split(sep).join('/');
      return within(to, 'protocol') && !within(from, 'server/src/features') && from !== 'server/src/server.ts';
    });
    assert.deepEqual(found, []);
  });

  it('sees every kind of import a rule could be broken with', () => {
    const text = [
      "import type { A } from '../../server/src/core/a';",
      "export { B } from '../../server/src/b';",
      "import '../../server/src/c';",
      "const d = await import('../../server/src/d');",
      "const e = require('../../server/src/e');",
      'import {\n  F,\n  G,\n} from "../../server/src/f";',
    ].join('\n');
    assert.deepEqual(importsOf(text), [
      '../../server/src/core/a',
      '../../server/src/b',
      '../../server/src/f',
      '../../server/src/c',
      '../../server/src/d',
      '../../server/src/e',
    ]);
  });
});
