// Core findings, spans and edits as LSP types (the positions come from LineIndex.rangeAt,
// which the heap view's summary uses too).
import type { Diagnostic, Range, TextEdit as LspTextEdit } from 'vscode-languageserver';
import { DiagnosticSeverity, DiagnosticTag } from 'vscode-languageserver';
import type { Finding, Severity } from '../core/checks/index';
import type { LineIndex, Span, TextEdit } from '../core/config/span';

export const SOURCE = 'drone-heap';

export function toRange(lines: LineIndex, span: Span): Range {
  return lines.rangeAt(span);
}

export function toSpan(lines: LineIndex, range: Range): Span {
  return { start: lines.offsetAt(range.start), end: lines.offsetAt(range.end) };
}

export function toTextEdit(lines: LineIndex, edit: TextEdit): LspTextEdit {
  return { range: toRange(lines, edit.span), newText: edit.newText };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export function toDiagnostic(lines: LineIndex, finding: Finding): Diagnostic {
  return {
    range: toRange(lines, finding.span),
    severity: SEVERITY[finding.severity],
    code: finding.code,
    source: SOURCE,
    message: finding.message,
    tags: finding.unnecessary ? [DiagnosticTag.Unnecessary] : undefined,
  };
}
