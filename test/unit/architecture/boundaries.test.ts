// The layering rule, enforced: the core knows nothing of LSP, VS Code or the terminal;
// only server/src/features (and server.ts) speak the protocol. A violation fails here
// before it spreads.
import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { REPO_ROOT } from '../../support/paths';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : name.endsWith('.ts') ? [path] : [];
  });
}

function imports(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+['"]([^'"]+)['"]/g)].map((m) => m[1]);
}

describe('architecture boundaries', () => {
  it('server/src/core imports no editor, protocol or shell module', () => {
    const offenders = sources(join(REPO_ROOT, 'server', 'src', 'core')).flatMap((file) =>
      imports(file)
        .filter((m) => /^vscode|languageserver|languageclient/.test(m) || /\.\.\/(features|cli|server|analysis|settings)\b/.test(m) || /^\.\.\/\.\.\/(features|cli)/.test(m))
        .map((m) => `${relative(REPO_ROOT, file)} imports ${m}`),
    );
    assert.deepEqual(offenders, []);
  });

  it('only the client imports vscode', () => {
    const offenders = sources(join(REPO_ROOT, 'server', 'src')).flatMap((file) =>
      imports(file)
        .filter((m) => m === 'vscode' || m.startsWith('vscode-languageclient'))
        .map((m) => `${relative(REPO_ROOT, file)} imports ${m}`),
    );
    assert.deepEqual(offenders, []);
  });
});
