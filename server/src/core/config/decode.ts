// Bytes to text for files read from disk (the CLI). TOML documents must be UTF-8: the
// text is decoded with the standard decoder in fatal mode, and when it refuses, the first
// byte that is not UTF-8 is located so that the error can point at it. A UTF-8 byte order
// mark at the start is dropped, as editors do, so that columns on the first line are the
// ones the user sees. (The language server gets documents as strings from the editor,
// which has decoded them already.)
import type { Span } from './span';

export type DecodedText =
  | { ok: true; text: string }
  /** `text` is the lossy decoding (bad bytes as U+FFFD); `error.span` is in it. */
  | { ok: false; text: string; error: { message: string; span: Span } };

export function decodeUtf8(bytes: Uint8Array): DecodedText {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(bom);
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body) };
  } catch {
    // fall through: find the byte
  }
  const bad = firstInvalidByte(body);
  const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
  // The prefix before the bad byte is valid UTF-8, so it decodes to the same characters at
  // the start of the lossy text: its length is the bad byte's offset there.
  const offset = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body.subarray(0, bad)).length;
  const shown = Array.from(body.subarray(bad, Math.min(bad + 4, body.length)), (b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`);
  return {
    ok: false,
    text,
    error: {
      message: `TOML syntax error: the file is not valid UTF-8 (at byte offset ${bom + bad}: ${shown.join(' ')}); TOML files must be UTF-8`,
      span: { start: offset, end: Math.min(offset + 1, text.length) },
    },
  };
}

/**
 * Index of the first byte where `bytes` stops being UTF-8, asked of the decoder itself. A
 * streaming fatal decode of a prefix throws exactly when the prefix holds an invalid
 * sequence (an incomplete one at its end is held back), so the shortest prefix that throws
 * ends just past the first byte the decoder rejects (or, when none throws, the file ends
 * inside a sequence). The broken sequence starts at the last character boundary at or
 * before that point: the longest prefix up to there that decodes completely.
 */
function firstInvalidByte(bytes: Uint8Array): number {
  const fails = (length: number, stream: boolean): boolean => {
    try {
      new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(0, length), { stream });
      return false;
    } catch {
      return true;
    }
  };
  let low = 1;
  let high = bytes.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (fails(mid, true)) high = mid;
    else low = mid + 1;
  }
  let bad = fails(low, true) ? low - 1 : bytes.length;
  // A UTF-8 sequence is at most 4 bytes: its start is at most 3 back.
  for (let back = 0; back < 4 && bad > 0 && fails(bad, false); back++) bad--;
  return bad;
}
