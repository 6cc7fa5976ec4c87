// Where the cursor is, for completion. Found from the text alone (not the parsed
// model) because completion is asked for exactly while the user is typing, when the
// file usually does not parse.

export type CompletionSite =
  | { kind: 'heap-key'; isExtra: boolean; present: string[] }
  | { kind: 'pool-item' }
  | { kind: 'pool-key'; present: string[] }
  | { kind: 'none' };

const HEADER = /^\s*\[\s*([^[\]]+?)\s*\]\s*(#.*)?$/;

export function completionSite(text: string, offset: number): CompletionSite {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  // The nearest `[table]` header above the cursor line.
  let headerEnd = -1;
  let table: string | undefined;
  for (let end = lineStart; end > 0;) {
    const start = before.lastIndexOf('\n', end - 2) + 1;
    const match = HEADER.exec(before.slice(start, end - 1));
    if (match) {
      table = match[1].replace(/\s+/g, '').replace(/["']/g, '');
      headerEnd = end;
      break;
    }
    end = start;
  }
  if (table === undefined || !(table === 'heap' || table.startsWith('heap.'))) return { kind: 'none' };
  const isExtra = table.startsWith('heap.') && table !== 'heap.main';

  const body = before.slice(headerEnd);
  const { stack, topLevelKeys, inlineKeys } = scanBrackets(body);
  const currentLine = before.slice(lineStart);
  if (stack.length === 0) {
    // Only offer keys at the start of a line (the user is typing a key, not a value).
    if (!/^\s*[A-Za-z_-]*$/.test(currentLine)) return { kind: 'none' };
    return { kind: 'heap-key', isExtra, present: topLevelKeys };
  }
  const top = stack[stack.length - 1];
  if (top.bracket === '[' && stack.length === 1 && top.key === 'pools') {
    return /[{}"=]/.test(
      body
        .slice(top.at + 1)
        .split('\n')
        .pop() ?? '',
    )
      ? { kind: 'none' }
      : { kind: 'pool-item' };
  }
  if (top.bracket === '{' && stack.length === 2 && stack[0].key === 'pools') {
    const sinceOpen = body.slice(top.at + 1);
    // After `key =` and before the next comma the user is typing a value.
    if (/=[^,]*$/.test(sinceOpen)) return { kind: 'none' };
    return { kind: 'pool-key', present: inlineKeys };
  }
  return { kind: 'none' };
}

interface Open {
  bracket: '[' | '{';
  at: number;
  /** The key whose value this bracket opens, when it opens a value. */
  key?: string;
}

/** Tracks open brackets outside strings and comments, and keys seen at each level. */
function scanBrackets(body: string): { stack: Open[]; topLevelKeys: string[]; inlineKeys: string[] } {
  const stack: Open[] = [];
  const topLevelKeys: string[] = [];
  let inlineKeys: string[] = [];
  let lastKey: string | undefined;
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch === '#') {
      while (i < body.length && body[i] !== '\n') i++;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const close = body.indexOf(ch, i + 1);
      if (close < 0) break;
      i = close;
      continue;
    }
    if (ch === '[' || ch === '{') {
      stack.push({ bracket: ch, at: i, key: lastKey });
      if (ch === '{') inlineKeys = [];
      lastKey = undefined;
    } else if (ch === ']' || ch === '}') {
      stack.pop();
    } else if (/[A-Za-z_-]/.test(ch)) {
      const match = /^[A-Za-z0-9_-]+(?=\s*=)/.exec(body.slice(i));
      if (match) {
        lastKey = match[0];
        if (stack.length === 0) topLevelKeys.push(match[0]);
        else if (stack[stack.length - 1].bracket === '{') inlineKeys.push(match[0]);
        i += match[0].length - 1;
      }
    }
  }
  return { stack, topLevelKeys, inlineKeys };
}
