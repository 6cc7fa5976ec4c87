// A LanguageClient that drops the requests VS Code makes while the client is not running
// (stopping for a window reload or a restart, stopped, or failed to start) quietly.
//
// Why: on every window reload VS Code asks for code actions and code lenses at the moment it
// terminates the extension host, and deactivate() stops the client in that same tick.
// vscode-languageclient 10's sendRequest checks the state (still Running), then awaits
// `$start()`; by the time that resumes, stop() has set the state to Stopping, so `$start()`
// throws a plain `Error('Starting server failed')`. The feature's provider hands it to
// handleFailedRequest, which logs `Request textDocument/codeAction failed.` with a stack trace
// in the 'Drone Heap' log and rethrows, and the extension host logs `provider FAILED` too — three
// times per reload, for a request nobody will see the answer to. (Requests that start after the
// state has changed are rejected with ConnectionInactive, which the library already drops.)
//
// A middleware cannot help: the error is logged inside the provider's `next` before it returns,
// and at the time the middleware runs the client is still Running. handleFailedRequest is the
// one place every feature's failures go through (rust-analyzer overrides it the same way), so
// it answers "no result" (the feature's default value) when the client is not running at the
// time of the failure. While the client runs, every failure is logged as before.
import type * as vscode from 'vscode';
import { LanguageClient, State, type MessageSignature } from 'vscode-languageclient/node';

export class QuietLanguageClient extends LanguageClient {
  override handleFailedRequest<T>(
    type: MessageSignature,
    token: vscode.CancellationToken | undefined,
    error: unknown,
    defaultValue: T,
    showNotification?: boolean,
    throwOnCancel?: boolean,
  ): T {
    if (this.state !== State.Running) {
      // At debug level, hidden by default ('Developer: Set Log Level…' → Drone Heap shows it).
      // The public state says Stopped while the client is stopping too.
      this.debug(`Request ${type.method} dropped, no answer expected (client state: ${State[this.state]}).`, undefined, false);
      return defaultValue;
    }
    return super.handleFailedRequest(type, token, error, defaultValue, showNotification, throwOnCancel);
  }
}
