// The small project the LSP trace tests share: a Drone.toml whose pools (16×1, 32×2) the
// `fallback` scenario overflows and fails, that scenario as a text trace, and temporary
// project folders to put them in.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { FIXTURES } from './paths';

// Pools 16×1 and 32×2 (80 B): the fallback scenario overflows into the 32 B pool and fails.
export const DRONE_TOML = `[memory.ram]
size = "20K"
origin = 0x20000000

[heap.main]
size = "80"
pools = [
    { block = "16", capacity = 1 },
    { block = "32", capacity = 2 },
]
`;

export const FALLBACK = readFileSync(join(FIXTURES, 'traces', 'fallback.txt'), 'utf8');

/** A temporary folder holding `files`; `uri` is its Drone.toml's. */
export function project(files: Record<string, string | Uint8Array>): { dir: string; uri: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drone-heap-lsp-'));
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, uri: pathToFileURL(join(dir, 'Drone.toml')).href };
}

export const codes = (diagnostics: Diagnostic[]): string[] => diagnostics.map((d) => String(d.code)).sort();
export const hasCode =
  (code: string) =>
  (diagnostics: Diagnostic[]): boolean =>
    diagnostics.some((d) => d.code === code);
