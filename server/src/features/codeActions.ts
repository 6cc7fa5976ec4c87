// Quick fixes and "fix all": the fixes come ready-made from the core findings; this
// module only wraps them as LSP code actions.
import { CodeActionKind, type CodeAction } from 'vscode-languageserver';
import { fixAll } from '../core/checks/index';
import { minimalEdit, overlaps } from '../core/config/span';
import { OPTIMIZE_LAYOUT_COMMAND } from '../../../protocol/commands';
import { SOURCE, toDiagnostic, toSpan, toTextEdit } from './convert';
import { deviceFindingsOf } from './device';
import { openDocument, type Feature } from './feature';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.droneHeap`;

export const codeActionsFeature: Feature = {
  capabilities: {
    codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND], resolveProvider: false },
  },
  register(context) {
    const { connection, settings, replays } = context;
    connection.onCodeAction((params) => {
      const open = openDocument(context, params.textDocument.uri);
      if (!open) return [];
      const { document, analysis } = open;
      const lines = analysis.parse.lines;
      const requested = toSpan(lines, params.range);
      const only = params.context.only;
      const wants = (kind: string) => !only || only.some((o) => kind === o || kind.startsWith(`${o}.`));
      const actions: CodeAction[] = [];

      if (wants(CodeActionKind.QuickFix)) {
        const device = analysis.parse.ok ? deviceFindingsOf(context, document.uri, analysis.parse.config) : [];
        for (const finding of [...analysis.findings, ...device]) {
          const touches =
            overlaps(finding.span, requested) ||
            (requested.start === requested.end && requested.start >= finding.span.start && requested.start <= finding.span.end);
          if (!touches) continue;
          for (const fix of finding.fixes) {
            actions.push({
              title: fix.title,
              kind: CodeActionKind.QuickFix,
              diagnostics: [toDiagnostic(lines, finding)],
              isPreferred: fix.preferred,
              edit: { changes: { [document.uri]: fix.edits.map((e) => toTextEdit(lines, e)) } },
            });
          }
        }
      }

      // A pool that fails in the trace, or that has been full on the device while a trace is
      // applied: offer the optimiser (the client previews before writing).
      if (wants(CodeActionKind.QuickFix)) {
        for (const diagnostic of params.context.diagnostics) {
          const optimisable = diagnostic.code === 'trace-failure' || diagnostic.code === 'device-pool-full';
          if (!optimisable || diagnostic.source !== SOURCE || !analysis.parse.ok) continue;
          const at = toSpan(lines, diagnostic.range);
          const heap = analysis.parse.config.heaps.find(
            (h) => overlaps(h.table.span, at) || h.pools?.items.some((p) => overlaps(p.span, at)),
          );
          if (!heap || (diagnostic.code === 'device-pool-full' && !replays.resultFor(document.uri, heap))) continue;
          actions.push({
            title: `Optimise the layout of ${heap.qualifiedName} to serve the trace…`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            command: { title: 'Optimise layout', command: OPTIMIZE_LAYOUT_COMMAND, arguments: [document.uri, heap.name] },
          });
          break;
        }
        // Too little stack (or no room at all) and a trace is applied: shrink the heap to what the
        // trace needs. The optimiser's preview says the stack's room before and after.
        for (const diagnostic of params.context.diagnostics) {
          if (
            (diagnostic.code !== 'stack-room-low' && diagnostic.code !== 'ram-overflow') ||
            diagnostic.source !== SOURCE ||
            !analysis.parse.ok
          )
            continue;
          const heap = analysis.parse.config.heaps.find((h) => !h.isExtra);
          if (!heap || !replays.resultFor(document.uri, heap)) continue;
          actions.push({
            title: `Shrink ${heap.qualifiedName} to what the trace needs (optimise for the smallest heap)…`,
            kind: CodeActionKind.QuickFix,
            diagnostics: [diagnostic],
            command: {
              title: 'Optimise layout',
              command: OPTIMIZE_LAYOUT_COMMAND,
              arguments: [document.uri, heap.name, { target: 'minimal' }],
            },
          });
          break;
        }
      }

      if (wants(FIX_ALL_KIND) && analysis.findings.some((f) => f.fixes.some((x) => x.preferred))) {
        const fixed = fixAll(analysis.text, settings());
        const edit = minimalEdit(analysis.text, fixed);
        if (edit) {
          actions.push({
            title: 'Fix all Drone heap problems',
            kind: FIX_ALL_KIND,
            edit: { changes: { [document.uri]: [toTextEdit(lines, edit)] } },
          });
        }
      }
      return actions;
    });
  },
};
