// Runs the heap view page (dist/webview.js + dist/webview.css, the very HTML and CSP the
// extension uses) in a real Chromium through playwright-core. A tiny loopback HTTP server
// plays the webview's resource origin; a stub acquireVsCodeApi records what the page posts
// and keeps its state (in sessionStorage, so a reload restores it like VS Code does); the
// test plays the extension host by posting its messages to the page.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { heapViewHtml } from '../../client/src/heapView/html';
import type { HeapViewHostMessage, HeapViewPageMessage, HeapViewPageState } from '../../protocol/heapViewMessages';
import { REPO_ROOT } from '../support/paths';
import type { Theme } from './themes';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(REPO_ROOT, 'test-artifacts', 'webview');
export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.html': 'text/html', '.map': 'application/json' };

declare global {
  interface Window {
    __posted: HeapViewPageMessage[];
    __csp: string[];
    __errors: string[];
  }
}

export class Harness {
  private constructor(
    private readonly server: Server,
    private readonly browser: Browser,
    readonly origin: string,
  ) {}

  static async start(): Promise<Harness> {
    const dist = join(REPO_ROOT, 'dist');
    for (const file of ['webview.js', 'webview.css']) {
      if (!existsSync(join(dist, file))) throw new Error(`dist/${file} is missing: run \`node esbuild.mjs\` first`);
    }
    let origin = '';
    const server = createServer((request, response) => {
      const url = new URL(request.url ?? '/', origin);
      if (url.pathname === '/favicon.ico') {
        response.writeHead(204).end();
        return;
      }
      if (url.pathname === '/blank') {
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end('<!DOCTYPE html><title>blank</title>');
        return;
      }
      if (url.pathname === '/') {
        // The page exactly as the panel serves it; the nonce changes per load.
        const nonce = Math.random().toString(36).slice(2);
        response.writeHead(200, { 'content-type': 'text/html' });
        response.end(
          heapViewHtml({ cspSource: origin, nonce, scriptUri: `${origin}/dist/webview.js`, styleUri: `${origin}/dist/webview.css` }),
        );
        return;
      }
      const path = normalize(join(REPO_ROOT, url.pathname));
      if (!path.startsWith(dist + '/') || !existsSync(path)) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'content-type': TYPES[extname(path)] ?? 'application/octet-stream' });
      response.end(readFileSync(path));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    mkdirSync(ARTIFACTS, { recursive: true });
    return new Harness(server, browser, origin);
  }

  private shared: { context: BrowserContext; page: Page; heapPage?: HeapPage } | undefined;

  /**
   * The page, loaded afresh (empty webview state, or `state`), themed, `ready` posted. One
   * browser tab serves every test (a new tab costs ~0.5 s); each open() reloads it.
   */
  async open(theme: Theme, options: { width?: number; height?: number; state?: HeapViewPageState } = {}): Promise<HeapPage> {
    if (!this.shared) {
      const context = await this.browser.newContext();
      await context.addInitScript(() => {
        window.__posted = [];
        window.__csp = [];
        window.__errors = [];
        document.addEventListener('securitypolicyviolation', (e) =>
          window.__csp.push(`${e.violatedDirective}: ${e.blockedURI || e.sourceFile}`),
        );
        const key = 'heap-view-state';
        let state: unknown = JSON.parse(sessionStorage.getItem(key) ?? 'null');
        (window as unknown as { acquireVsCodeApi: () => unknown }).acquireVsCodeApi = () => ({
          postMessage: (message: unknown) => window.__posted.push(JSON.parse(JSON.stringify(message))),
          getState: () => state,
          setState: (next: unknown) => {
            state = next;
            sessionStorage.setItem(key, JSON.stringify(next));
          },
        });
      });
      const page = await context.newPage();
      this.shared = { context, page };
      page.on('pageerror', (error) => this.shared?.heapPage?.errors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') this.shared?.heapPage?.errors.push(message.text());
      });
    }
    const { page, context } = this.shared;
    await page.setViewportSize({ width: options.width ?? 1200, height: options.height ?? 900 });
    // Same origin, no script: set the webview state the next load starts with.
    await page.goto(this.origin + '/blank');
    await page.evaluate((state) => {
      sessionStorage.clear();
      if (state) sessionStorage.setItem('heap-view-state', JSON.stringify(state));
    }, options.state ?? null);
    const heapPage = new HeapPage(page, context);
    this.shared.heapPage = heapPage;
    await page.goto(this.origin + '/');
    await heapPage.waitForPosted('ready');
    await heapPage.setTheme(theme);
    return heapPage;
  }

  async stop(): Promise<void> {
    await this.shared?.context.close();
    await this.browser.close();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export class HeapPage {
  readonly errors: string[] = [];
  constructor(
    readonly page: Page,
    private readonly context: BrowserContext,
  ) {}

  async setTheme(theme: Theme): Promise<void> {
    await this.page.evaluate((t) => {
      // As VS Code: only the new theme's variables (a theme may leave one out).
      const style = document.documentElement.style;
      for (const name of [...style].filter((n) => n.startsWith('--vscode-'))) style.removeProperty(name);
      for (const [name, value] of Object.entries(t.variables)) style.setProperty(name, value);
      document.body.classList.remove('vscode-light', 'vscode-dark', 'vscode-high-contrast', 'vscode-high-contrast-light');
      document.body.classList.add(...t.bodyClass.split(' '));
    }, theme);
  }

  renders(): Promise<number> {
    return this.page.evaluate(() => Number(document.body.dataset.renders ?? 0));
  }

  /** Posts a host message and waits until the page has rendered it (one frame painted); returns ms from posting to then. */
  async send(message: HeapViewHostMessage): Promise<number> {
    const before = await this.renders();
    const started = await this.page.evaluate((m) => {
      const t = performance.now();
      window.postMessage(m, '*');
      return t;
    }, message);
    await this.page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) > n, before);
    return this.page.evaluate((t) => {
      // data-render-ms is measured by the page from the message's arrival; this from posting.
      return performance.now() - t;
    }, started);
  }

  /** Waits for the page to finish the render a click or key press started (e.g. a re-sort). */
  async waitForRender(before: number): Promise<void> {
    await this.page.waitForFunction((n) => Number(document.body.dataset.renders ?? 0) > n, before);
  }

  posted(): Promise<HeapViewPageMessage[]> {
    return this.page.evaluate(() => window.__posted);
  }

  async clearPosted(): Promise<void> {
    await this.page.evaluate(() => (window.__posted = []));
  }

  /** Waits until the page has posted a message of this type; returns the latest one. */
  async waitForPosted<T extends HeapViewPageMessage['type']>(type: T, timeout = 5000): Promise<Extract<HeapViewPageMessage, { type: T }>> {
    await this.page.waitForFunction((t) => window.__posted.some((m) => m.type === t), type, { timeout });
    const all = await this.posted();
    return all.filter((m) => m.type === type).pop() as Extract<HeapViewPageMessage, { type: T }>;
  }

  state(): Promise<HeapViewPageState | null> {
    return this.page.evaluate(() => JSON.parse(sessionStorage.getItem('heap-view-state') ?? 'null'));
  }

  cspViolations(): Promise<string[]> {
    return this.page.evaluate(() => window.__csp);
  }

  async screenshot(name: string): Promise<string> {
    const path = join(ARTIFACTS, `${name}.png`);
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }

  /** The tab is shared by every test (see Harness.open); nothing to close. */
  async close(): Promise<void> {
    void this.context;
  }
}
