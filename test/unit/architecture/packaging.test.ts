// What the .vsix ships: the whitelist in .vscodeignore, asked of vsce itself. Bundles
// carry their dependencies, so no node_modules (and no sources, tests or maps) ship.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/paths';

describe('extension package contents', function () {
  this.timeout(60_000);

  it('vsce packages exactly the manifest, docs, grammar and bundles', () => {
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const result = spawnSync(process.execPath, [vsce, 'ls'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    const files = result.stdout.trim().split('\n').sort();
    assert.deepEqual(files, ['CHANGELOG.md', 'LICENSE', 'README.md', 'dist/client.js', 'dist/server.js', 'dist/webview.css', 'dist/webview.js', 'dist/worker.js', 'language-configuration.json', 'package.json', 'syntaxes/toml.tmLanguage.json']);
  });

  it('has what an extension page shows: keywords a search finds, categories, a changelog of this version', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const word of ['drone', 'heap', 'embedded', 'rust', 'toml']) assert.ok(manifest.keywords.includes(word), `keyword ${word}`);
    assert.ok(manifest.categories.includes('Programming Languages') && manifest.categories.includes('Linters'));
    const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## ${manifest.version.replaceAll('.', '\\.')} `, 'm'));
  });
});
