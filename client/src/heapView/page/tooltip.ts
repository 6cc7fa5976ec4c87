// One floating tooltip for the strip, the histogram and the chart: shown on hover and on
// keyboard focus, positioned beside its target through the CSSOM, hidden with Escape.
import { append, clear, h } from './dom';

let element: HTMLElement | undefined;
let owner: Element | undefined;

function tooltip(): HTMLElement {
  if (!element) {
    element = h('div', { id: 'tooltip', class: 'tooltip', role: 'tooltip', hidden: true });
    document.body.appendChild(element);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') hideTooltip();
    });
  }
  return element;
}

export type TooltipContent = { title: string; rows: [string, string][]; note?: string };

/** Fills the tooltip and places it next to `target` (below it, or above when there is no room). */
export function showTooltip(target: Element, content: TooltipContent): void {
  const tip = tooltip();
  owner = target;
  clear(tip);
  append(tip, h('div', { class: 'tooltip-title' }, content.title));
  const table = h('table', { class: 'tooltip-rows' });
  for (const [name, value] of content.rows) table.appendChild(h('tr', {}, h('th', { scope: 'row' }, name), h('td', {}, value)));
  tip.appendChild(table);
  if (content.note) tip.appendChild(h('div', { class: 'tooltip-note' }, content.note));
  tip.hidden = false;
  const box = target.getBoundingClientRect();
  const tipBox = tip.getBoundingClientRect();
  const left = Math.max(4, Math.min(box.left + box.width / 2 - tipBox.width / 2, window.innerWidth - tipBox.width - 4));
  const below = box.bottom + 6;
  const top = below + tipBox.height > window.innerHeight && box.top - tipBox.height - 6 > 0 ? box.top - tipBox.height - 6 : below;
  tip.style.left = `${left + window.scrollX}px`;
  tip.style.top = `${top + window.scrollY}px`;
}

export function hideTooltip(target?: Element): void {
  if (!element || (target && target !== owner)) return;
  element.hidden = true;
  owner = undefined;
}

/** Shows `content()` while `target` is hovered or focused; `target` gets aria-describedby. */
export function attachTooltip(target: HTMLElement, content: () => TooltipContent): void {
  target.setAttribute('aria-describedby', 'tooltip');
  const show = () => showTooltip(target, content());
  const hide = () => hideTooltip(target);
  target.addEventListener('mouseenter', show);
  target.addEventListener('focus', show);
  target.addEventListener('mouseleave', hide);
  target.addEventListener('blur', hide);
}
