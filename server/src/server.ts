// The Drone Heap language server. Runs under any LSP client:
//   node dist/server.js --stdio       (Neovim, Helix, Emacs, …)
//   started by the VS Code client over IPC (--node-ipc), see client/src/extension.ts.
// This file only wires things together: the connection, the open documents, the
// settings, and the list of features (each in its own module under features/).
import { pathToFileURL } from 'node:url';
import {
  createConnection,
  DidChangeConfigurationNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type ServerCapabilities,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AnalysisCache } from './analysis';
import { codeActionsFeature } from './features/codeActions';
import { completionFeature } from './features/completion';
import { diagnosticsFeature, publishDiagnostics } from './features/diagnostics';
import type { Feature, ServerContext } from './features/feature';
import { foldingFeature } from './features/folding';
import { hoverFeature } from './features/hover';
import { inlayHintsFeature } from './features/inlayHints';
import { symbolsFeature } from './features/symbols';
import { codeLensFeature } from './features/codeLens';
import { traceRequestsFeature } from './features/traceRequests';
import { optimizeFeature } from './features/optimize';
import { heapViewFeature } from './features/heapView';
import { deviceFeature } from './features/device';
import { DeviceStates } from './device/deviceStates';
import { TraceStatusNotification, WorkspaceTrustNotification, type DroneHeapInitializationOptions } from '../../protocol/lsp';
import { toWireTraceStatusParams } from './features/wire/traceStatus';
import { toWireDeviceStatus } from './features/wire/device';
import { DeviceStatusNotification } from '../../protocol/device';
import { readElfFile } from './core/firmware/elf';
import { FirmwareBudgets } from './firmware/firmwareBudgets';
import { DEFAULT_SETTINGS, readSettings, type Settings } from './settings';
import { AllocatorModels } from './trace/allocatorModels';
import { HeapReplays } from './trace/heapReplays';
import { LayoutProposals } from './trace/layoutProposals';
import { foldersFromUris, TraceAccess } from './trace/traceAccess';
import { TraceFiles } from './trace/traceFiles';
import { TraceJobs } from './trace/traceJobs';
import { TraceWatcher } from './trace/traceWatcher';

const FEATURES: Feature[] = [
  diagnosticsFeature,
  codeActionsFeature,
  hoverFeature,
  inlayHintsFeature,
  codeLensFeature,
  symbolsFeature,
  foldingFeature,
  completionFeature,
  traceRequestsFeature,
  optimizeFeature,
  heapViewFeature,
  deviceFeature,
];

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
let settings: Settings = DEFAULT_SETTINGS;
let canPullConfiguration = false;
let canWatchFolders = false;
const analyses = new AnalysisCache(() => settings);
/** Replays, layout searches and allocator models, one at a time in a worker thread. */
const jobs = new TraceJobs();
/** Restricted Mode: which trace files may be read (trusted unless the client says otherwise). */
const access = new TraceAccess();
const watcher = new TraceWatcher((uri) => replays.traceChanged(uri));
const files = new TraceFiles(() => settings, access, watcher);
const proposals = new LayoutProposals(jobs, refreshViews);
const models = new AllocatorModels(jobs, refreshViews);
const replays = new HeapReplays(jobs, files, refreshViews, (uri, heap) => {
  proposals.forget(uri, heap);
  models.forget(uri, heap);
});
/** The built firmware of each document, re-read when a build rewrites it (polled like traces). */
const firmwareWatcher = new TraceWatcher((uri) => firmware.refresh(uri));
const firmware = new FirmwareBudgets(readElfFile, firmwareWatcher, () => settings, access, refreshViews);
/** Device figures from RAM dumps (watched: dumping again updates them) and debug stops. */
const dumpWatcher = new TraceWatcher((uri) => device.dumpChanged(uri));
const device = new DeviceStates(firmware, dumpWatcher, refreshViews);
const context: ServerContext = {
  connection,
  documents,
  analyses,
  settings: () => settings,
  replays,
  proposals,
  models,
  firmware,
  device,
  refreshViews,
};

/**
 * New figures or states for a document (or, without `uri`, for all: settings changed):
 * every surface that shows them refreshes. Hints and lenses are pulled by the client, so
 * it is told to ask again; the status notification also makes the heap view ask again.
 */
function refreshViews(uri?: string): void {
  const changed = uri ? [uri] : documents.all().map((d) => d.uri);
  for (const each of changed) {
    const document = documents.get(each);
    if (document) publishDiagnostics(context, document);
    void connection.sendNotification(TraceStatusNotification, toWireTraceStatusParams(replays.status(each)));
    const config = document && analyses.get(document).parse;
    const status = config?.ok ? toWireDeviceStatus(device.readingOf(each, config.config)) : null;
    void connection.sendNotification(DeviceStatusNotification, { uri: each, status });
  }
  connection.languages.inlayHint.refresh().catch(() => undefined);
  connection.sendRequest('workspace/codeLens/refresh').catch(() => undefined);
}

connection.onInitialize((params) => {
  canPullConfiguration = !!params.capabilities.workspace?.configuration;
  canWatchFolders = !!params.capabilities.workspace?.workspaceFolders;
  const options = params.initializationOptions as DroneHeapInitializationOptions | undefined;
  settings = readSettings(options?.settings);
  // Only an explicit false restricts: Neovim, Helix, Emacs… say nothing and are trusted.
  access.setTrusted(options?.workspaceTrusted !== false);
  // Traces the user imported in an earlier session (the client keeps them per workspace).
  for (const pick of Array.isArray(options?.importedTraces) ? options.importedTraces : []) {
    if (typeof pick?.uri === 'string' && typeof pick.heap === 'string' && typeof pick.tracePath === 'string')
      files.importTrace(pick.uri, pick.heap, pick.tracePath);
  }
  const roots =
    params.workspaceFolders?.map((f) => f.uri) ??
    (params.rootUri ? [params.rootUri] : params.rootPath ? [pathToFileURL(params.rootPath).href] : []);
  access.setFolders(foldersFromUris(roots));
  const capabilities: ServerCapabilities = {
    textDocumentSync: TextDocumentSyncKind.Incremental,
    // Restricted Mode reads only traces inside the workspace folders: follow them as they change.
    workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
  };
  for (const feature of FEATURES) Object.assign(capabilities, feature.capabilities);
  return { capabilities, serverInfo: { name: 'drone-heap', version: '0.1.0' } };
});

connection.onInitialized(() => {
  if (canPullConfiguration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: 'droneHeap' });
    void refreshSettings();
  }
  if (canWatchFolders) {
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = await connection.workspace.getWorkspaceFolders().catch(() => null);
      access.setFolders(foldersFromUris(folders?.map((f) => f.uri) ?? []));
      replays.refreshAll();
      firmware.refreshAll();
    });
  }
});

// The user trusted the workspace (VS Code): settings may now include workspace values of
// droneHeap.traces, and traces outside the workspace folder may be read.
connection.onNotification(WorkspaceTrustNotification, async ({ trusted }) => {
  access.setTrusted(trusted);
  if (canPullConfiguration) await refreshSettings().catch(() => undefined);
  replays.refreshAll();
  firmware.refreshAll();
});

connection.onDidChangeConfiguration((change) => {
  const pushed = (change.settings as { droneHeap?: unknown } | undefined)?.droneHeap;
  if (canPullConfiguration) void refreshSettings();
  else if (pushed) applySettings(readSettings(pushed));
});

async function refreshSettings(): Promise<void> {
  applySettings(readSettings(await connection.workspace.getConfiguration('droneHeap')));
}

function applySettings(next: Settings): void {
  if (JSON.stringify(next) === JSON.stringify(settings)) return;
  settings = next;
  analyses.clear();
  replays.refreshAll();
  firmware.refreshAll();
  // Some figures follow settings (word size, where trace figures go, the defrag index count).
  refreshViews();
}

connection.onShutdown(() => {
  watcher.dispose();
  firmwareWatcher.dispose();
  jobs.dispose();
});

for (const feature of FEATURES) feature.register(context);
documents.listen(connection);
connection.listen();
