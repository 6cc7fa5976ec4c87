// The traces the user imported, per Drone.toml and heap, kept in the workspace's state (not
// in settings: the pick is personal, and a path outside the workspace means nothing to
// others). The server gets them again at every start, so a picked trace survives a reload.
import type * as vscode from 'vscode';
import type { ImportTraceParams } from '../../protocol/lsp';

const KEY = 'droneHeap.importedTraces';

export class ImportedTraces {
  constructor(private readonly state: vscode.Memento) {}

  all(): ImportTraceParams[] {
    return this.state.get<ImportTraceParams[]>(KEY, []);
  }

  /** Remembers the pick, replacing an earlier one for the same heap of the same file. */
  async remember(pick: ImportTraceParams): Promise<void> {
    const others = this.all().filter((p) => p.uri !== pick.uri || p.heap !== pick.heap);
    await this.state.update(KEY, [...others, pick]);
  }
}
