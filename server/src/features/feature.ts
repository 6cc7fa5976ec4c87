// What every editor feature module provides: the capabilities it adds to the server's
// `initialize` answer, and the handlers it registers. server.ts lists the features once.
import type { Connection, ServerCapabilities, TextDocuments } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { AnalysisCache } from '../analysis';
import type { Settings } from '../settings';
import type { TraceManager } from '../trace/traceManager';

export interface ServerContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyses: AnalysisCache;
  settings: () => Settings;
  traces: TraceManager;
}

export interface Feature {
  capabilities: Partial<ServerCapabilities>;
  register(context: ServerContext): void;
}
