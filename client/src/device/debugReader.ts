// Device figures from a paused debug session: when any debug adapter reports `stopped`, the
// heap statics and the blocks their free lists run through are read with the Debug Adapter
// Protocol's `readMemory` (cortex-debug, probe-rs, cdt-gdb-adapter support it) for every open
// Drone.toml, and the server decodes them. Nothing is read while the target runs: only a stop
// starts a read, and a read still going when the target resumes or stops again is dropped.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DeviceMemoryRequest, type DeviceMemoryPiece } from '../../../protocol/device';
import { isDroneToml } from '../droneToml';
import type { DeviceStatusBar } from './deviceStatus';

/** Rounds of server "read these" answers per stop and document (the static, then the pools). */
const MAX_ROUNDS = 4;

interface DapMessage {
  type?: string;
  event?: string;
  command?: string;
  success?: boolean;
  body?: { supportsReadMemoryRequest?: boolean };
}

export class DebugMemoryReader implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[] = [];
  /** Per session id: whether the adapter said it can read memory (undefined: not said yet). */
  private readonly canRead = new Map<string, boolean | undefined>();
  /** Per session id: the stop being read; a newer stop or a resume makes older reads stale. */
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly client: LanguageClient,
    private readonly statusBar: DeviceStatusBar,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: DapMessage) => this.onMessage(session, message),
          onExit: () => this.forget(session),
        }),
      }),
      vscode.debug.onDidTerminateDebugSession((session) => this.forget(session)),
    );
  }

  private onMessage(session: vscode.DebugSession, message: DapMessage): void {
    if (message.type === 'response' && message.command === 'initialize' && message.success) {
      this.canRead.set(session.id, message.body?.supportsReadMemoryRequest === true);
    } else if (message.type === 'event' && (message.event === 'continued' || message.event === 'stopped')) {
      const generation = (this.generation.get(session.id) ?? 0) + 1;
      this.generation.set(session.id, generation);
      if (message.event === 'stopped') void this.readAtStop(session, generation);
    }
  }

  private forget(session: vscode.DebugSession): void {
    this.canRead.delete(session.id);
    this.generation.delete(session.id);
  }

  private async readAtStop(session: vscode.DebugSession, generation: number): Promise<void> {
    const documents = vscode.workspace.textDocuments.filter((d) => isDroneToml(d.uri));
    if (documents.length === 0) return; // a session about something else: nothing to say
    if (this.canRead.get(session.id) === false) {
      this.statusBar.setSessionNote(
        `The debug adapter of “${session.name}” (${session.type}) cannot read memory (no readMemory support): no device figures.`,
      );
      return;
    }
    const stoppedAt = Date.now();
    for (const document of documents) {
      const outcome = await this.readFor(session, generation, document.uri.toString(), stoppedAt);
      this.log.info(`device: ${document.uri.toString()} at the stop of “${session.name}”: ${outcome}`);
    }
  }

  /** One document's rounds: ask the server what to read, read it, hand it over, until done. */
  private async readFor(session: vscode.DebugSession, generation: number, uri: string, stoppedAt: number): Promise<string> {
    let pieces: DeviceMemoryPiece[] = [];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      if (this.generation.get(session.id) !== generation) return 'resumed before the read ended';
      const answer = await this.client.sendRequest(DeviceMemoryRequest, { uri, session: session.name, stoppedAt, pieces });
      if (answer.kind === 'unavailable') return answer.reason;
      if (answer.kind === 'done') {
        this.statusBar.setSessionNote(null);
        return answer.answer.message;
      }
      pieces = [];
      for (const range of answer.ranges) {
        if (this.generation.get(session.id) !== generation) return 'resumed before the read ended';
        const piece = await readMemory(session, range.address, range.length).catch((error: unknown) => {
          this.log.warn(`device: readMemory ${range.length} B at 0x${range.address.toString(16)} failed: ${error}`);
          return null;
        });
        if (piece) pieces.push(piece);
      }
    }
    return 'gave up after several rounds of reads';
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
  }
}

/** DAP readMemory of `count` bytes at `address`; the answer may be shorter (unreadable bytes). */
async function readMemory(session: vscode.DebugSession, address: number, count: number): Promise<DeviceMemoryPiece | null> {
  const response = (await session.customRequest('readMemory', { memoryReference: `0x${address.toString(16)}`, offset: 0, count })) as
    { address?: string; data?: string } | undefined;
  if (!response?.data) return null;
  const start = response.address ? Number(response.address) : address;
  return { address: Number.isNaN(start) ? address : start, data: response.data };
}
