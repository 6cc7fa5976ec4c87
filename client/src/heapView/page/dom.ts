// Small DOM helpers for the heap view page: elements are built with textContent (never
// innerHTML), so names and messages from files cannot inject markup; sizes and positions
// are set through the CSSOM (element.style), which the page's CSP allows, never through
// style attributes or <style> elements, which it forbids.

import { formatAddress, formatInteger, formatPercent, plural } from '../../../../common/format';

type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined>;

/** `h('button', { class: 'x', 'aria-label': '…' }, 'text', child)`; false/null attributes are left out. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

export function clear(element: Element): void {
  while (element.firstChild) element.removeChild(element.firstChild);
}

// Numbers are written as in the editor and the CLI (common/format.ts).
export const num = formatInteger;

export const bytes = (value: number): string => `${num(value)} B`;

export const percent = formatPercent;

export const address = formatAddress;

export { plural };

/** Reads a CSS custom property (e.g. a --vscode-* theme colour) as the browser resolves it: `rgb(…)`/`rgba(…)`. */
export function themeColour(variable: string, fallbackVariable = '--vscode-foreground'): string {
  const probe = document.createElement('span');
  probe.style.display = 'none';
  probe.style.color = `var(${variable}, var(${fallbackVariable}))`;
  document.body.appendChild(probe);
  const colour = getComputedStyle(probe).color;
  probe.remove();
  return colour;
}

/** `rgb(1, 2, 3)` → `rgba(1, 2, 3, alpha)` (for canvas fills). */
export function withAlpha(colour: string, alpha: number): string {
  const m = colour.match(/rgba?\(\s*([\d.]+)[,\s]+([\d.]+)[,\s]+([\d.]+)(?:[,\s/]+([\d.]+))?\s*\)/);
  if (!m) return colour;
  const base = m[4] === undefined ? 1 : Number(m[4]);
  return `rgba(${m[1]}, ${m[2]}, ${m[3]}, ${base * alpha})`;
}

/** A visually hidden live region's text (screen readers announce changes). */
export function announce(region: HTMLElement, text: string): void {
  region.textContent = '';
  // A fresh text node in the next frame is announced even when the text repeats.
  requestAnimationFrame(() => (region.textContent = text));
}
