// Watches trace files so figures refresh while a capture is still running. Polling the
// file's size and mtime once a second (fs.watchFile) is robust where inotify is not
// (files replaced by `just heaptrace`, network mounts, a file that does not exist yet)
// and caps refreshes at one per second, as a capture can grow many times a second.
import { unwatchFile, watchFile, type Stats } from 'node:fs';

export const POLL_INTERVAL_MS = 1000;

export class TraceWatcher {
  /** Trace path → documents that use it. */
  private readonly watched = new Map<string, Set<string>>();

  constructor(private readonly onChange: (uri: string, path: string) => void) {}

  watch(path: string, uri: string): void {
    const users = this.watched.get(path);
    if (users) {
      users.add(uri);
      return;
    }
    this.watched.set(path, new Set([uri]));
    watchFile(path, { interval: POLL_INTERVAL_MS, persistent: false }, (current: Stats, previous: Stats) => {
      if (current.mtimeMs === previous.mtimeMs && current.size === previous.size) return;
      for (const user of this.watched.get(path) ?? []) this.onChange(user, path);
    });
  }

  unwatch(path: string, uri: string): void {
    const users = this.watched.get(path);
    if (!users) return;
    users.delete(uri);
    if (users.size > 0) return;
    this.watched.delete(path);
    unwatchFile(path);
  }

  dispose(): void {
    for (const path of this.watched.keys()) unwatchFile(path);
    this.watched.clear();
  }
}
