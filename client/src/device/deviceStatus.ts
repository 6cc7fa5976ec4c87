// The status bar item for the device's figures of the Drone.toml in the active editor: where
// they come from (a dump file and when it was loaded, or a debug session and its stop), with a
// warning background when a pool has been full. Fed by droneHeap/deviceStatus.
import * as vscode from 'vscode';
import type { DeviceStatus, DeviceStatusParams } from '../../../protocol/device';

export const DEVICE_STATUS_ITEM = 'droneHeap.device';

export class DeviceStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(DEVICE_STATUS_ITEM, vscode.StatusBarAlignment.Left, 49);
  private readonly byUri = new Map<string, DeviceStatus>();
  private readonly subscriptions: vscode.Disposable[] = [];
  /** A message about the debug session that applies to every document (the adapter cannot read memory). */
  private sessionNote: string | null = null;

  constructor(command: string) {
    this.item.name = 'Drone Heap device';
    this.item.command = command;
    this.subscriptions.push(vscode.window.onDidChangeActiveTextEditor(() => this.render()));
  }

  update({ uri, status }: DeviceStatusParams): void {
    if (status) this.byUri.set(uri, status);
    else this.byUri.delete(uri);
    this.render();
  }

  statusOf(uri: string): DeviceStatus | undefined {
    return this.byUri.get(uri);
  }

  /** Says, until the next stop that reads memory, why a debug session gives no figures. */
  setSessionNote(note: string | null): void {
    this.sessionNote = note;
    this.render();
  }

  private render(): void {
    const uri = vscode.window.activeTextEditor?.document.uri.toString();
    const status = uri ? this.byUri.get(uri) : undefined;
    if (!status && !this.sessionNote) {
      this.item.hide();
      return;
    }
    this.item.text = status?.text ?? '$(chip) device: no figures';
    this.item.tooltip = [status?.tooltip, this.sessionNote].filter(Boolean).join('\n\n');
    this.item.backgroundColor = status?.warning ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    this.subscriptions.forEach((s) => s.dispose());
  }
}
