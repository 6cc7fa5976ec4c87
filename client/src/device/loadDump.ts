// "Drone Heap: Load Device Memory Dump…": asks for a RAM dump file (GDB `dump binary memory`,
// OpenOCD `dump_image`, probe-rs `read --format binary`) and the address of its first byte,
// prefilled with [memory.ram] origin, and has the server decode the heap from it.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DeviceDumpInfoRequest, LoadDeviceDumpRequest } from '../../../protocol/device';
import { formatAddress } from '../../../common/format';
import { findDroneToml } from '../droneToml';

/** Parses what the user typed as an address: 0x… hex or decimal, underscores allowed. */
export function parseAddressInput(text: string): number | null {
  const plain = text.trim().replace(/_/g, '');
  const value = /^0x[0-9a-f]+$/i.test(plain) ? parseInt(plain.slice(2), 16) : /^\d+$/.test(plain) ? Number(plain) : NaN;
  return Number.isNaN(value) || value > 0xffff_ffff ? null : value;
}

/** Runs the command; `file` and `address` skip the questions (tests, other extensions). */
export async function loadDeviceDump(client: LanguageClient, file?: vscode.Uri, address?: number): Promise<boolean> {
  const uri = await findDroneToml({ ask: 'Which Drone.toml is the dump of?' });
  if (!uri) {
    void vscode.window.showWarningMessage('Drone Heap: open a Drone.toml first; the dump is read against its heaps and firmware.');
    return false;
  }
  // The server reads only documents the client has opened.
  await vscode.workspace.openTextDocument(uri);
  const info = await client.sendRequest(DeviceDumpInfoRequest, { uri: uri.toString() });
  let dump = file;
  if (!dump) {
    const picked = await vscode.window.showOpenDialog({
      title: 'RAM dump taken at a breakpoint',
      canSelectMany: false,
      defaultUri: vscode.Uri.joinPath(uri, '..'),
      filters: { 'Memory dumps': ['bin', 'dump', 'raw', 'img'], 'All files': ['*'] },
    });
    dump = picked?.[0];
  }
  if (!dump) return false;
  let start = address;
  if (start === undefined) {
    const typed = await vscode.window.showInputBox({
      title: 'Address of the dump’s first byte',
      value: info.ramOrigin !== null ? formatAddress(info.ramOrigin) : '',
      prompt:
        info.ramOrigin !== null
          ? 'Prefilled with [memory.ram] origin: the start of a dump of the whole RAM.'
          : 'Drone.toml has no [memory.ram] origin.',
      validateInput: (text) => (parseAddressInput(text) === null ? 'An address such as 0x20000000 (or decimal)' : null),
    });
    if (typed === undefined) return false;
    start = parseAddressInput(typed) ?? undefined;
  }
  if (start === undefined) return false;
  const answer = await client.sendRequest(LoadDeviceDumpRequest, { uri: uri.toString(), path: dump.fsPath, address: start });
  if (answer.ok) void vscode.window.showInformationMessage(`Drone Heap: ${answer.message}`);
  else void vscode.window.showWarningMessage(`Drone Heap: ${answer.message}`);
  return answer.ok;
}
