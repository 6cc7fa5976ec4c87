// The RAM strip: where RAM goes according to the built firmware — the stack's room from the
// start of RAM, the static data, the heap at the end — to scale; and, when Drone.toml's heap
// size changed since the build, the same as it will be after the next build. The stack gets
// exactly what the others leave, so this is where a heap that grew shows what it costs.
import type { HeapViewRam, HeapViewRamRow } from '../../../../protocol/heapView';
import { address, bytes, h, percent } from './dom';

type RamKind = 'stack' | 'static' | 'heap' | 'other';

/** Segments narrower than this share of RAM get no label (it would be cut to a dot). */
const MIN_LABELLED_SHARE = 0.08;

function kindOf(row: HeapViewRamRow): RamKind {
  if (row.name === 'stack room') return 'stack';
  if (row.name === '.heap') return 'heap';
  if (row.name === '.bss' || row.name === '.data' || row.name === '.dronereg') return 'static';
  return 'other';
}

function strip(rows: HeapViewRamRow[], ram: HeapViewRam, label: string): HTMLElement {
  const element = h('div', { class: 'ram-strip', role: 'list', 'aria-label': label });
  for (const row of rows) {
    const description = `${row.name}: ${bytes(row.bytes)} (${percent(row.bytes, ram.size)}), ${address(row.start)}..${address(row.end)}`;
    const segment = h(
      'div',
      { class: `ram-segment ram-${kindOf(row)}`, role: 'listitem', title: description, 'aria-label': description },
      // A label only where it has room; every segment's figures are in its tooltip.
      row.bytes / ram.size >= MIN_LABELLED_SHARE ? h('span', { class: 'ram-label' }, `${row.name} ${bytes(row.bytes)}`) : null,
    );
    // Sizes go through the CSSOM: the page's CSP forbids inline style attributes.
    segment.style.width = `${(row.bytes / ram.size) * 100}%`;
    element.appendChild(segment);
  }
  return element;
}

export function renderRam(ram: HeapViewRam): HTMLElement {
  const built = new Date(ram.builtAt).toISOString().replace('T', ' ').slice(0, 16);
  const parts: HTMLElement[] = [
    h(
      'p',
      { class: 'ram-caption' },
      `As built (${ram.firmware}, ${built} UTC): the stack keeps ${bytes(ram.stackBytes)} of ${bytes(ram.size)}.`,
    ),
    strip(ram.rows, ram, 'RAM as built'),
  ];
  if (ram.asWritten && ram.stackBytesAsWritten !== null) {
    parts.push(
      h(
        'p',
        { class: 'ram-caption' },
        `As written (after the next build, static data unchanged): the stack keeps ${bytes(ram.stackBytesAsWritten)}.`,
      ),
      strip(ram.asWritten, ram, 'RAM as written'),
    );
  } else if (ram.stackBytesAsWritten !== null && ram.stackBytesAsWritten < 0) {
    parts.push(
      h(
        'p',
        { class: 'ram-caption worse' },
        `As written, the static data and the heap exceed RAM by ${bytes(-ram.stackBytesAsWritten)}: the link will fail.`,
      ),
    );
  }
  return h('div', { class: 'ram' }, ...parts);
}
