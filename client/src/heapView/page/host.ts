// The page's side of the webview channel: typed messages to the extension host and the
// page's persisted state (kept by VS Code across reloads and while the panel is hidden).
import type { HeapViewPageMessage, HeapViewPageState } from '../../../../protocol/heapViewMessages';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const api: VsCodeApi = acquireVsCodeApi();

export function post(message: HeapViewPageMessage): void {
  api.postMessage(message);
}

export function loadState(): HeapViewPageState {
  const state = api.getState();
  return state && typeof state === 'object' ? (state as HeapViewPageState) : {};
}

export function saveState(patch: Partial<HeapViewPageState>): HeapViewPageState {
  const next = { ...loadState(), ...patch };
  api.setState(next);
  return next;
}
