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
    assert.deepEqual(files, ['LICENSE', 'README.md', 'dist/client.js', 'dist/server.js', 'dist/webview.css', 'dist/webview.js', 'dist/worker.js', 'language-configuration.json', 'package.json', 'syntaxes/toml.tmLanguage.json']);
  });

  it('the manifest declares Restricted Mode honestly: limited, with the trace setting restricted; no virtual workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted.description, /inside the workspace folder/);
    // Settings naming files the extension reads: workspace values must not count while untrusted.
    assert.deepEqual(untrusted.restrictedConfigurations, ['droneHeap.traces']);
    for (const name of untrusted.restrictedConfigurations) assert.ok(manifest.contributes.configuration.properties[name], `${name} is not a setting`);
    // The client's document selector is file: only, and the server reads traces from disk.
    assert.equal(manifest.capabilities.virtualWorkspaces?.supported, false);
  });
});
