// Rules of the heap view page that a reader of its sources can check: every colour comes from
// a --vscode-* theme variable, or from the page's palette (--hv-*, at the top of heapView.css:
// theme variables with a written-out fallback for each theme kind); the HTML's CSP allows only
// the nonce'd bundle and the extension's stylesheets; the page imports only types from
// protocol/ and, at run time, only common/format (how every side writes numbers: pure,
// imports nothing) — no server code, nothing that runs in the extension host, in the webview bundle.
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contentSecurityPolicy, heapViewHtml } from '../../../client/src/heapView/html';
import { REPO_ROOT } from '../../support/paths';

const PAGE = join(REPO_ROOT, 'client', 'src', 'heapView', 'page');
const sources = () => readdirSync(PAGE).map((name) => ({ name, text: readFileSync(join(PAGE, name), 'utf8') }));
/** Without comments, so that prose about colours does not count. */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:])\/\/.*$/gm, '$1');

describe('heap view page sources', () => {
  it('take every colour from the theme (--vscode-* variables, or the page palette of them), none written out elsewhere', () => {
    const offenders: string[] = [];
    for (const { name, text } of sources()) {
      // The palette's declarations (--hv-*: …) may write out a fallback per theme kind; nothing else may.
      const checked = name.endsWith('.css') ? code(text).replace(/^\s*--hv-[\w-]+\s*:[^;]+;/gm, '') : code(text);
      const named = name.endsWith('.css') ? '|(?<![-\\w])(?:white|black|red|green|blue|gray|grey|orange|yellow|purple)(?![-\\w])' : '';
      for (const match of checked.matchAll(new RegExp(`#[0-9a-fA-F]{3,8}\\b|\\b(?:rgba?|hsla?)\\(\\s*\\d${named}`, 'g'))) {
        offenders.push(`${name}: ${match[0]}`);
      }
    }
    assert.deepEqual(offenders, []);
    const css = readFileSync(join(PAGE, 'heapView.css'), 'utf8');
    const colours = [
      ...code(css).matchAll(/(?:^|[\s;{])(?:color|background-color|border(?:-\w+)?-color|background|accent-color|outline)\s*:\s*([^;]+);/g),
    ].map((m) => m[1].trim());
    assert.ok(colours.length > 20);
    for (const value of colours)
      assert.ok(/var\(--(?:vscode|hv)-|^(?:none|transparent|inherit)$|^\d+px (?:solid|dashed) var\(--vscode-/.test(value), value);
    // Every palette colour is set for each theme kind VS Code names on the body.
    const palette = (selector: string) =>
      new Set([...(code(css).split(selector)[1] ?? '').split('}')[0].matchAll(/--hv-[\w-]+/g)].map((m) => m[0]));
    const all = palette('body {');
    assert.ok(all.size >= 10, [...all].join());
    for (const kind of ['body.vscode-light {', 'body.vscode-high-contrast {', 'body.vscode-high-contrast-light {'])
      assert.deepEqual(palette(kind), all, kind);
  });

  it('have no inline style or script: no style attributes, no innerHTML', () => {
    for (const { name, text } of sources()) {
      assert.doesNotMatch(code(text), /innerHTML|outerHTML|insertAdjacentHTML|setAttribute\(\s*['"]style|cssText/, name);
      assert.doesNotMatch(code(text), /['"]style['"]\s*:/, `${name} passes a style attribute to h()`);
    }
  });

  it('import only types from protocol/, common/format, and nothing from the server or the extension host', () => {
    for (const { name, text } of sources()) {
      for (const [, clause, from] of text.matchAll(/import\s+(type\s+)?[^;]*?from\s+['"]([^'"]+)['"]/g)) {
        // Relative imports stay in the page, or are types from protocol/ (which the bundle drops), or
        // the number formatting every side shares.
        if (from.startsWith('../'))
          assert.ok(
            (clause && /^(\.\.\/)+protocol\/\w+$/.test(from)) || /^(\.\.\/){4}common\/format$/.test(from),
            `${name} imports ${from}`,
          );
        assert.ok(!/^vscode|languageserver|languageclient|node:/.test(from), `${name} imports ${from}`);
      }
    }
    const bundle = join(REPO_ROOT, 'dist', 'webview.js');
    if (existsSync(bundle))
      assert.doesNotMatch(readFileSync(bundle, 'utf8'), /vscode-jsonrpc|toml-eslint-parser|RequestType|acquireVsCodeApi\(\)\s*\{/);
  });

  it("get a CSP that allows only the nonce'd script and the extension's stylesheets", () => {
    const csp = contentSecurityPolicy({ cspSource: 'https://x.vscode-cdn.net', nonce: 'abc' });
    assert.equal(csp, "default-src 'none'; style-src https://x.vscode-cdn.net; script-src 'nonce-abc'");
    const html = heapViewHtml({
      cspSource: 'https://x.vscode-cdn.net',
      nonce: 'abc',
      scriptUri: 'https://x/dist/webview.js',
      styleUri: 'https://x/dist/webview.css',
    });
    assert.match(
      html,
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src https:\/\/x.vscode-cdn.net; script-src 'nonce-abc'">/,
    );
    assert.deepEqual(
      [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]),
      ['<script nonce="abc" src="https://x/dist/webview.js">'],
    );
    assert.doesNotMatch(html, /<style|\sstyle="|\son\w+="|unsafe-inline|unsafe-eval|http:\/\//);
    assert.doesNotMatch(html.replace(/<script[^>]*><\/script>/, ''), /<script/);
  });
});
