// What the .vsix ships: the whitelist in .vscodeignore, asked of vsce itself. Bundles
// carry their dependencies, so no node_modules (and no sources, tests or maps) ship.
// The icon and the README's pictures ship too, README's links to them kept relative (the
// repository URL is a placeholder that serves nothing).
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/paths';

/** Pictures README.md shows (`![alt](path)`), in order. */
function readmeImages(): { alt: string; path: string }[] {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  return [...readme.matchAll(/!\[([^\]]*)\]\(([^)\s]+)[^)]*\)/g)].map((m) => ({ alt: m[1], path: m[2] }));
}

describe('extension package contents', function () {
  this.timeout(60_000);

  let packaged: string[];
  before(() => {
    const vsce = join(REPO_ROOT, 'node_modules', '@vscode', 'vsce', 'vsce');
    const result = spawnSync(process.execPath, [vsce, 'ls'], { cwd: REPO_ROOT, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
    packaged = result.stdout.trim().split('\n').sort();
  });

  it('vsce packages exactly the manifest, docs, icon, pictures, grammar and bundles', () => {
    assert.deepEqual(packaged, [
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'dist/client.js',
      'dist/server.js',
      'dist/webview.css',
      'dist/webview.js',
      'dist/worker.js',
      'images/device-figures.png',
      'images/heap-view.png',
      'images/icon.png',
      'images/optimise-preview.png',
      'images/quick-fix.png',
      'images/trace-figures.png',
      'language-configuration.json',
      'package.json',
      'syntaxes/toml.tmLanguage.json',
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

  it('every picture README.md shows exists, is a PNG ≤ 200 KB with alt text, and is in the package', () => {
    const images = readmeImages();
    assert.ok(images.length >= 4, `README.md shows ${images.length} pictures, want at least 4`);
    for (const { alt, path } of images) {
      assert.ok(alt.trim().length > 0, `${path}: empty alt text`);
      assert.match(path, /^images\/[\w.-]+\.png$/, `${path}: want a relative link into images/ (shipped in the .vsix)`);
      const file = join(REPO_ROOT, path);
      assert.ok(existsSync(file), `${path} is missing (npm run screenshots makes it)`);
      assert.equal(readFileSync(file).subarray(0, 8).toString('hex'), '89504e470d0a1a0a', `${path} is not a PNG`);
      assert.ok(statSync(file).size <= 200 * 1024, `${path} is ${statSync(file).size} bytes, over 200 KB`);
      assert.ok(packaged.includes(path), `${path} is not in the .vsix: add it to .vscodeignore`);
    }
  });

  it('npm run package keeps README links relative, pointing at the pictures in the .vsix', () => {
    // Without the flag vsce rewrites them to the repository URL, and as that is no GitHub/GitLab
    // address it refuses to package at all ("Couldn't detect the repository…").
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    assert.match(manifest.scripts.package, /vsce package .*--no-rewrite-relative-links/);
  });

  it('has what an extension page shows: keywords a search finds, categories, a changelog of this version', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    for (const word of ['drone', 'heap', 'embedded', 'rust', 'toml']) assert.ok(manifest.keywords.includes(word), `keyword ${word}`);
    assert.ok(manifest.categories.includes('Programming Languages') && manifest.categories.includes('Linters'));
    const changelog = readFileSync(join(REPO_ROOT, 'CHANGELOG.md'), 'utf8');
    assert.match(changelog, new RegExp(`^## ${manifest.version.replaceAll('.', '\\.')} `, 'm'));
  });

  it('the manifest declares Restricted Mode honestly: limited, with the trace and firmware settings restricted; no virtual workspaces', () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8'));
    const untrusted = manifest.capabilities?.untrustedWorkspaces;
    assert.equal(untrusted?.supported, 'limited');
    assert.match(untrusted.description, /inside the workspace folder/);
    // Settings naming files the extension reads: workspace values must not count while untrusted.
    assert.deepEqual(untrusted.restrictedConfigurations, ['droneHeap.traces', 'droneHeap.firmware']);
    for (const name of untrusted.restrictedConfigurations)
      assert.ok(manifest.contributes.configuration.properties[name], `${name} is not a setting`);
    // The client's document selector is file: only, and the server reads traces from disk.
    assert.equal(manifest.capabilities.virtualWorkspaces?.supported, false);
  });
});
