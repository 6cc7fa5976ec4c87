// How a trace file is named to the user. Paths come from the OS the server runs on, from
// settings and from the client, so they may be Windows paths even when the code is tested
// on Linux: the separator is told from the path itself, not from the running OS.
import { posix, win32 } from 'node:path';

const looksLikeWindows = (path: string): boolean =>
  /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\') || (path.includes('\\') && !path.includes('/'));

const pathsOf = (path: string) => (looksLikeWindows(path) ? win32 : posix);

/** The file's own name (`heaptrace`): code lenses, hovers and the heap view's title, where room is short. */
export function traceFileName(tracePath: string): string {
  return pathsOf(tracePath).basename(tracePath) || tracePath;
}

/**
 * The trace's path relative to the Drone.toml folder when it lies inside it (`heaptrace`,
 * `captures/boot.trace`), else its full path: in messages, which must say which file.
 */
export function traceNameIn(folder: string | undefined, tracePath: string): string {
  if (!folder) return tracePath;
  const paths = pathsOf(tracePath);
  const relative = paths.relative(folder, tracePath);
  const inside = relative !== '' && !relative.startsWith('..') && !paths.isAbsolute(relative);
  return inside ? relative : tracePath;
}
