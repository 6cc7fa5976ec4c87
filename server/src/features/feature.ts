// What every editor feature module provides: the capabilities it adds to the server's
// `initialize` answer, and the handlers it registers. server.ts lists the features once,
// and hands each the same context.
import { ResponseError, type Connection, type ServerCapabilities, type TextDocuments } from 'vscode-languageserver';
import { DroneHeapErrorCodes } from '../../../protocol/lsp';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Analysis, AnalysisCache } from '../analysis';
import type { DroneConfig, HeapConfig } from '../core/config/droneConfig';
import type { DeviceStates } from '../device/deviceStates';
import type { FirmwareBudgets } from '../firmware/firmwareBudgets';
import type { Settings } from '../settings';
import type { AllocatorModels } from '../trace/allocatorModels';
import type { HeapReplays } from '../trace/heapReplays';
import type { LayoutProposals } from '../trace/layoutProposals';

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyses: AnalysisCache;
  settings: () => Settings;
  /** Each heap's trace, its state and the latest replay of its current layout. */
  replays: HeapReplays;
  /** The optimiser's proposals per heap, and the optimise command's searches. */
  proposals: LayoutProposals;
  /** The general-purpose allocator models on each heap's trace (the heap view's comparison). */
  models: AllocatorModels;
  /** Each document's built firmware and the RAM budget it gives. */
  firmware: FirmwareBudgets;
  /** Each document's device figures: the memory last read (dump or debug stop), decoded against the firmware. */
  device: DeviceStates;
  /** Every open document's figures changed (settings, new figures): diagnostics, the status, hints and lenses refresh. */
  refreshViews(uri?: string): void;
}

export interface Feature {
  capabilities: Partial<ServerCapabilities>;
  register(context: ServerContext): void;
}

export interface OpenDocument {
  document: TextDocument;
  /** Parsed and checked once per version, shared by every feature. */
  analysis: Analysis;
}

/** The open document at `uri` and its analysis; undefined when the client has not opened it. */
export function openDocument(
  { documents, analyses }: Pick<ServerContext, 'documents' | 'analyses'>,
  uri: string,
): OpenDocument | undefined {
  const document = documents.get(uri);
  return document ? { document, analysis: analyses.get(document) } : undefined;
}

/** The same, only when the text parses as TOML: with its config. */
export function parsedDocument(
  context: Pick<ServerContext, 'documents' | 'analyses'>,
  uri: string,
): (OpenDocument & { config: DroneConfig }) | undefined {
  const open = openDocument(context, uri);
  return open?.analysis.parse.ok ? { ...open, config: open.analysis.parse.config } : undefined;
}

/** For requests about one heap: the document, its config and the heap, or a ResponseError saying which is missing. */
export function requireHeap(
  context: Pick<ServerContext, 'documents' | 'analyses'>,
  uri: string,
  name: string,
): OpenDocument & { config: DroneConfig; heap: HeapConfig } {
  const open = openDocument(context, uri);
  if (!open) throw new ResponseError(DroneHeapErrorCodes.DocumentNotOpen, `${uri} is not open`);
  if (!open.analysis.parse.ok) throw new ResponseError(DroneHeapErrorCodes.SyntaxError, 'Drone.toml has a syntax error; fix it first.');
  const config = open.analysis.parse.config;
  const heap = config.heaps.find((h) => h.name === name);
  if (!heap) throw new ResponseError(DroneHeapErrorCodes.NoSuchHeap, `Drone.toml has no heap "${name}"`);
  return { ...open, config, heap };
}
