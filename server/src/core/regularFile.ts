// Opening the files a user names (traces, Drone.toml): only regular files are read. A path can
// name a device (`/dev/zero` reads as zeros forever), a FIFO (opening it blocks until a writer
// comes), a socket or a directory — from a typo, or from a workspace setting written by someone
// else. Those are refused at once with a sentence that says what the path is.
import { closeSync, constants, fstatSync, openSync, readFileSync, type Stats } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** A path that exists but is not a regular file; `kind` says what it is ("a directory"). */
export class NotARegularFileError extends Error {
  constructor(
    readonly path: string,
    readonly kind: string,
  ) {
    super(`${path} is ${kind}, not a regular file`);
  }
}

/** What a non-regular file is, in words; null for a regular file. */
export function nonRegularKind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return 'a directory';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

// O_NONBLOCK keeps a FIFO from blocking the open; fstat then refuses it, race-free. A Unix
// socket cannot be opened at all (ENXIO): say what it is rather than the errno.
export const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;
export const socketError = (path: string, error: unknown) =>
  (error as NodeJS.ErrnoException).code === 'ENXIO' ? new NotARegularFileError(path, 'a socket') : error;

/**
 * Opens a regular file for reading and returns its size at this moment: a reader that stops
 * there reads a growing capture as it was (the file watcher picks up the rest).
 */
export async function openRegularFile(path: string): Promise<{ file: FileHandle; size: number }> {
  const file = await open(path, READ_FLAGS).catch((error) => {
    throw socketError(path, error);
  });
  const stats = await file.stat();
  const kind = nonRegularKind(stats);
  if (kind) {
    await file.close();
    throw new NotARegularFileError(path, kind);
  }
  return { file, size: stats.size };
}

/** readFileSync(path, 'utf8') for regular files only. */
export function readRegularFileSync(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, READ_FLAGS);
  } catch (error) {
    throw socketError(path, error);
  }
  try {
    const kind = nonRegularKind(fstatSync(fd));
    if (kind) throw new NotARegularFileError(path, kind);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
