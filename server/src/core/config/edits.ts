// Minimal text edits on a Drone.toml. Every edit replaces exactly the characters that
// must change, so comments, spacing and other sections stay byte-identical.
import type { Span, TextEdit } from './span';
import type { TomlValue } from './tomlTree';

/** Replaces a string value, keeping the quote style the user wrote ("…" or '…'). */
export function replaceStringValue(text: string, value: TomlValue, content: string): TextEdit {
  const quote = text[value.span.start] === "'" ? "'" : '"';
  return { span: value.span, newText: `${quote}${content}${quote}` };
}

/** Replaces any value by a quoted string (e.g. a bare integer size by "10K"). */
export function replaceWithString(value: TomlValue, content: string): TextEdit {
  return { span: value.span, newText: `"${content}"` };
}

export function replaceValue(value: TomlValue, newText: string): TextEdit {
  return { span: value.span, newText };
}

/**
 * Removes element `index` of an array whose element spans are `items`. When the element
 * sits alone on its line(s) the whole line goes, otherwise the element and the separator
 * after it (or before it, for the last element) so the rest of the array keeps its shape.
 */
export function removeArrayItem(text: string, items: readonly Span[], index: number): TextEdit {
  const item = items[index];
  const lineStart = text.lastIndexOf('\n', item.start - 1) + 1;
  const before = text.slice(lineStart, item.start);
  let afterEnd = item.end;
  while (afterEnd < text.length && /[ \t]/.test(text[afterEnd])) afterEnd++;
  if (text[afterEnd] === ',') afterEnd++;
  while (afterEnd < text.length && /[ \t]/.test(text[afterEnd])) afterEnd++;
  // A trailing comment keeps the line: it belongs to the user, not to the element.
  const restOfLineIsEmpty = afterEnd >= text.length || text[afterEnd] === '\n' || text[afterEnd] === '\r';
  if (/^[ \t]*$/.test(before) && restOfLineIsEmpty) {
    // Alone on its line: take the line with its line break.
    let end = afterEnd;
    if (text[end] === '\r') end++;
    if (text[end] === '\n') end++;
    return { span: { start: lineStart, end }, newText: '' };
  }
  const hasSeparatorAfter = /,/.test(text.slice(item.end, afterEnd));
  if (hasSeparatorAfter || index === 0) {
    // Ending its line: the blanks before it would be left dangling at the line end.
    let start = item.start;
    if (restOfLineIsEmpty) while (start > lineStart && /[ \t]/.test(text[start - 1])) start--;
    return { span: { start, end: afterEnd }, newText: '' };
  }
  // Last element sharing its line: remove the separator before it instead.
  const previous = items[index - 1];
  return { span: { start: previous.end, end: item.end }, newText: '' };
}

/** A `# comment` after an element on the same line (after its comma, if any). */
export interface LineTail {
  /** The comment with the blanks before it, or the empty span where one would go. */
  span: Span;
  comment: string;
  /** True when nothing but the separator and the comment follows the element on its line. */
  endsLine: boolean;
}

export function lineTailAfter(text: string, end: number): LineTail {
  let i = end;
  while (i < text.length && /[ \t]/.test(text[i])) i++;
  let beforeComment = end;
  if (text[i] === ',') beforeComment = ++i;
  while (i < text.length && /[ \t]/.test(text[i])) i++;
  if (text[i] === '#') {
    let lineEnd = i;
    while (lineEnd < text.length && text[lineEnd] !== '\n' && text[lineEnd] !== '\r') lineEnd++;
    // The comment carries its leading spaces, so moving it keeps the user's alignment.
    return { span: { start: beforeComment, end: lineEnd }, comment: text.slice(beforeComment, lineEnd), endsLine: true };
  }
  const endsLine = i >= text.length || text[i] === '\n' || text[i] === '\r';
  return { span: { start: beforeComment, end: beforeComment }, comment: '', endsLine };
}

/**
 * Reorders array elements: slot i receives the element `order[i]`. When every element
 * ends its line, the comment after an element moves with it (it describes that element);
 * the separators and line breaks stay where they are, so the array keeps its shape.
 */
export function reorderArrayItems(text: string, items: readonly Span[], order: readonly number[]): TextEdit[] {
  const tails = items.map((item) => lineTailAfter(text, item.end));
  const commentsMove = tails.every((t) => t.endsLine);
  const edits: TextEdit[] = [];
  order.forEach((from, slot) => {
    if (from === slot) return;
    edits.push({ span: items[slot], newText: text.slice(items[from].start, items[from].end) });
    if (!commentsMove || tails[from].comment === tails[slot].comment) return;
    edits.push({ span: tails[slot].span, newText: tails[from].comment });
  });
  return edits;
}
