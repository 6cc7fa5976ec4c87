// `drone-heap check [FILE…] [--json] [--word-size N]`: the language server's checks in
// a terminal or CI. Prints `file:line:col: severity: message [code]` (1-based, as
// compilers do) or a JSON array; exit 1 when any file has an error.
import { checkDroneTomlBytes, type Finding } from '../core/checks/index';
import { LineIndex } from '../core/config/span';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseArgs, readOrSay, UsageError, type CliIO } from './io';

export const CHECK_USAGE = `Usage: drone-heap check [FILE…] [--json] [--word-size N]
Checks the heap sections of Drone.toml files (default: ./Drone.toml).
Exit status: 0 no errors, 1 errors found, 2 unusable arguments or unreadable file.`;

export interface JsonDiagnostic {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: Finding['severity'];
  code: string;
  message: string;
}

export function runCheck(args: string[], io: CliIO): number {
  const parsed = parseArgs(args, ['json', 'help'], ['word-size']);
  if (parsed.flags.has('help')) {
    io.stdout(CHECK_USAGE + '\n');
    return EXIT_OK;
  }
  const wordSizeText = parsed.options.get('word-size') ?? '4';
  const wordSize = Number(wordSizeText);
  if (!/^[1-9][0-9]*$/.test(wordSizeText) || wordSize > 64)
    throw new UsageError(`--word-size must be a whole number of bytes between 1 and 64, not "${wordSizeText}"`);
  const files = parsed.positionals.length > 0 ? parsed.positionals : ['Drone.toml'];

  const results: JsonDiagnostic[] = [];
  for (const file of files) {
    const bytes = readOrSay(io, file, (path) => io.readBytes(path));
    if (!bytes) return EXIT_USAGE;
    const { text, findings } = checkDroneTomlBytes(bytes, { wordSize });
    const lines = new LineIndex(text);
    for (const finding of findings) {
      const start = lines.positionAt(finding.span.start);
      const end = lines.positionAt(finding.span.end);
      results.push({
        file,
        line: start.line + 1,
        column: start.character + 1,
        endLine: end.line + 1,
        endColumn: end.character + 1,
        severity: finding.severity,
        code: finding.code,
        message: finding.message,
      });
    }
  }

  if (parsed.flags.has('json')) io.stdout(JSON.stringify(results, null, 2) + '\n');
  else {
    for (const d of results) io.stdout(`${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message} [${d.code}]\n`);
    const count = (severity: string, noun: string) => plural(results.filter((d) => d.severity === severity).length, noun);
    io.stderr(
      `${plural(files.length, 'file')} checked: ${count('error', 'error')}, ${count('warning', 'warning')}, ${count('information', 'note')}\n`,
    );
  }
  return results.some((d) => d.severity === 'error') ? EXIT_PROBLEMS : EXIT_OK;
}

const plural = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;
