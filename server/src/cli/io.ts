// The CLI's contact with the outside world, passed in so commands can be tested in-process.
import { NotARegularFileError } from '../core/regularFile';

export interface CliIO {
  stdout(text: string): void;
  stderr(text: string): void;
  readFile(path: string): string;
  /** The file's bytes, for commands that decode them themselves (`check`: UTF-8 is checked). */
  readBytes(path: string): Uint8Array;
  cwd: string;
  /** stderr is a terminal: progress may be drawn. */
  isInteractive: boolean;
}

/** Exit statuses shared by every command. */
export const EXIT_OK = 0;
export const EXIT_PROBLEMS = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {}

/** Minimal flag parsing: `--flag`, `--option value`, `--option=value`, positionals. */
export function parseArgs(
  args: string[],
  flags: string[],
  options: string[],
): { flags: Set<string>; options: Map<string, string>; positionals: string[] } {
  const result = { flags: new Set<string>(), options: new Map<string, string>(), positionals: [] as string[] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--') || arg === '--') {
      result.positionals.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (flags.includes(name) && inline === undefined) result.flags.add(name);
    else if (options.includes(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      result.options.set(name, value);
    } else throw new UsageError(`unknown option --${name}`);
  }
  return result;
}

/** `read(path)`, or undefined after printing why the file the user named cannot be read. */
export function readOrSay<T>(io: CliIO, path: string, read: (path: string) => T): T | undefined {
  try {
    return read(path);
  } catch (error) {
    io.stderr(`drone-heap: ${describeReadError(path, error)}\n`);
    return undefined;
  }
}

/** Why a file the user named could not be read, in words (no errno codes, no stack). */
export function describeReadError(path: string, error: unknown): string {
  if (error instanceof NotARegularFileError) return `cannot read ${path}: it is ${error.kind}, not a regular file`;
  const e = error as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `cannot read ${path}: no such file`;
  if (e.code === 'EACCES') return `cannot read ${path}: permission denied`;
  return `cannot read ${path}: ${e.message}`;
}
