// Which format is a trace file? Decided from its first bytes (a sample of up to
// DETECT_SAMPLE_BYTES), in two steps:
//
// 1. Signatures. Each format has a cheap test on the very first bytes:
//    - xor-0.14: the first 32-bit LE word, XORed with 0xC5ACCE55, has a frame header in
//      {A1,A2,D1,D2,B1,B2,B3,C1,C2,C3} as its top byte. A random word passes with
//      probability 10/256, so this alone is weak evidence.
//    - stream: the first byte is a record header 0..3. Also weak alone: 4/256.
//    - text: the sample has no control bytes but tab/CR/LF (bytes ≥ 0x80 are allowed: UTF-8
//      in comments; an optional UTF-8 BOM) and its first non-blank character is a letter or
//      '#'. Binary traces essentially never pass: a stream file starts with a byte 0..3, and
//      0.14 words are XORed with 0xC5ACCE55, so control bytes show up within a few words.
//    The signatures can overlap (a text file starting with "grow" passes the 0.14 test, a
//    0.14 capture whose first word is A2 with a low byte 0x55..0x57 passes the stream test).
// 2. Evidence. Each candidate says how many leading bytes of the sample it can account for:
//    stream and text decode the sample with the real decoder (bytes before the first
//    problem; a record cut by the sample's end is not held against them); xor-0.14 counts
//    the leading words whose header byte is valid, ignoring frame order, so a capture that
//    starts in the middle of a frame sequence is still recognised as 0.14 (and then
//    reported as out of sequence by the decoder). Random data keeps a run of valid 0.14
//    headers going with probability 10/256 per word, so a long run is decisive.
//    The candidate with the most evidence wins.
//
// Confidence: 'high' when the winner accounts for the whole sample (and found at least
// one event, or is text) and no other candidate does; 'medium' when another candidate
// also accounts for the whole sample, or the winner stops early (a damaged file of that
// format); 'low' when nothing matches the signatures (format null) or the winner accounts
// for nothing.

import type { TraceDecoder } from './decoder';
import type { EventBatch, EventSink } from './events';
import type { TraceFormat } from './formats';
import { StreamDecoder } from './stream';
import { TextTraceDecoder } from './text';
import { XOR014_HEADERS, XOR_KEY, Xor014Decoder } from './xor014';

export const DETECT_SAMPLE_BYTES = 4096;

export type DetectionConfidence = 'high' | 'medium' | 'low';

export interface FormatDetection {
  /** null: empty input, or no format matches. */
  format: TraceFormat | null;
  confidence: DetectionConfidence;
  /** One sentence for the user / log explaining the choice. */
  reason: string;
}

export function createDecoder(format: TraceFormat): TraceDecoder {
  switch (format) {
    case 'xor-0.14':
      return new Xor014Decoder();
    case 'stream':
      return new StreamDecoder();
    case 'text':
      return new TextTraceDecoder();
  }
}

/** Decides the format of a trace from its first bytes (pass up to DETECT_SAMPLE_BYTES). */
export function detectFormat(sample: Uint8Array): FormatDetection {
  sample = sample.subarray(0, DETECT_SAMPLE_BYTES);
  if (sample.length === 0) return { format: null, confidence: 'low', reason: 'The trace is empty.' };
  const candidates = signatureMatches(sample);
  if (candidates.length === 0) {
    return {
      format: null,
      confidence: 'low',
      reason: `The first bytes match no known heap trace format (first byte 0x${sample[0].toString(16).padStart(2, '0')}).`,
    };
  }
  const trials = candidates.map((format) => gatherEvidence(format, sample)).sort((x, y) => y.bytes - x.bytes);
  const best = trials[0];
  const whole = (t: Evidence) => t.bytes === sample.length;
  const names = candidates.join(', ');
  if (whole(best) && !trials.slice(1).some(whole)) {
    return {
      format: best.format,
      confidence: best.events > 0 || best.format === 'text' ? 'high' : 'medium',
      reason:
        `The first ${sample.length} bytes read as ${best.format}` +
        (candidates.length > 1 ? ` (signatures matched: ${names}; the others stop early).` : '.'),
    };
  }
  if (whole(best)) {
    return {
      format: best.format,
      confidence: 'medium',
      reason: `The first bytes read as more than one format (${names}); chose ${best.format}.`,
    };
  }
  if (best.bytes > 0) {
    return {
      format: best.format,
      confidence: 'medium',
      reason: `The first bytes look like ${best.format}, but only the first ${best.bytes} bytes read as such (damaged data?).`,
    };
  }
  return { format: best.format, confidence: 'low', reason: `The signature of ${names} matches, but nothing decodes.` };
}

function signatureMatches(sample: Uint8Array): TraceFormat[] {
  const matches: TraceFormat[] = [];
  if (sample.length >= 4) {
    const word = (sample[0] | (sample[1] << 8) | (sample[2] << 16) | (sample[3] << 24)) ^ XOR_KEY;
    if ((XOR014_HEADERS as readonly number[]).includes(word >>> 24)) matches.push('xor-0.14');
  }
  if (sample[0] <= 3) matches.push('stream');
  if (looksLikeText(sample)) matches.push('text');
  return matches;
}

function looksLikeText(sample: Uint8Array): boolean {
  let i = sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf ? 3 : 0;
  let first = -1;
  for (; i < sample.length; i++) {
    const c = sample[i];
    const blank = c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
    if (!blank && (c < 0x20 || c === 0x7f)) return false; // bytes ≥ 0x80: UTF-8 in comments
    if (first < 0 && !blank) first = c;
  }
  return first < 0 || first === 0x23 || (first >= 0x41 && first <= 0x5a) || (first >= 0x61 && first <= 0x7a);
}

interface Evidence {
  format: TraceFormat;
  /** Leading bytes of the sample that fit the format. */
  bytes: number;
  events: number;
}

const DISCARD: EventSink = { consume: (_batch: EventBatch) => {} };

function gatherEvidence(format: TraceFormat, sample: Uint8Array): Evidence {
  if (format === 'xor-0.14') {
    const words = sample.length >> 2;
    let valid = 0;
    for (; valid < words; valid++) {
      const at = valid * 4;
      const word = (sample[at] | (sample[at + 1] << 8) | (sample[at + 2] << 16) | (sample[at + 3] << 24)) ^ XOR_KEY;
      if (!(XOR014_HEADERS as readonly number[]).includes(word >>> 24)) break;
    }
    // A partial last word is the sample's cut, not evidence against the format.
    return { format, bytes: valid === words ? sample.length : valid * 4, events: valid >> 1 };
  }
  const decoder = createDecoder(format);
  decoder.push(sample, DISCARD);
  const problem = decoder.problem;
  return { format, bytes: problem ? problem.byteOffset : sample.length, events: decoder.events };
}
