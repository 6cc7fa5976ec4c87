// What the .vsix ships: the whitelist in .vscodeignore, asked of vsce itself. Bundles
// carry their dependencies, so no node_modules (and no sources, tests or maps) ship.
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/paths';

describe('extension package contents', function () {
  this.timeout(60_000);

  let packaged: string[];
  before(() => {
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const result = spawnSync(process.execPath, [vsce, 'ls'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    packaged = result.stdout.trim().split('\n').sort();
  });

  it('vsce packages exactly the manifest, docs, icon, grammar and bundles', () => {
    assert.deepEqual(packaged, [
      'LICENSE', 'README.md', 'dist/client.js', 'dist/server.js', 'dist/webview.css', 'dist/webview.js', 'dist/worker.js',
      'images/icon.png',
      'language-configuration.json', 'package.json', 'syntaxes/toml.tmLanguage.json',
    ]);
  });

  it('the icon is a 128 × 128 PNG in the package', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.equal(manifest.icon, 'images/icon.png');
    const png = readFileSync(join(REPO_ROOT, manifest.icon));
    assert.equal(png.subarray(1, 4).toString('latin1'), 'PNG');
    // IHDR comes first: width and height are big-endian at bytes 16 and 20.
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
    assert.ok(packaged.includes(manifest.icon));
  });
});
