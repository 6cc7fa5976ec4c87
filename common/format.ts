// How every surface writes numbers: editor hovers, inlay hints, code lenses, the status bar,
// the heap view page and the CLI. One module so that a figure reads the same everywhere.
//
// The one place each side of the project may import: the core (pure), the server, the
// client and the heap view page (a browser). So it imports nothing and uses nothing but the
// language (no Node, no DOM, no Intl): test/unit/architecture/boundaries.test.ts holds it to that.
//
// Integers are written with plain digits ("37525", not "37,525"): they are the figures a
// user compares with and copies into Drone.toml (`size = "10240"`, `capacity = 118`), and the
// CLI's and Drone's own output write them so too.

/** 37525 → "37525". */
export function formatInteger(value: number): string {
  return String(value);
}

/** "1 failure", "0 failures", "37525 events". */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${formatInteger(count)} ${count === 1 ? one : many}`;
}

/**
 * part / whole as a percentage: one decimal ("9.8%", "0.0%", "100.0%"); two below 1% so
 * small pools do not read as nothing ("0.39%"), and just under 100% so a nearly full pool
 * does not read as full ("99.96%"). "–" when whole is 0.
 */
export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '–';
  const p = (part / whole) * 100;
  if (p > 0 && p < 0.005) return '<0.01%';
  if (p >= 99.995 && p < 100) return '>99.99%';
  const twoDecimals = (p > 0 && p < 1) || (p >= 99.95 && p < 100);
  return `${p.toFixed(twoDecimals ? 2 : 1)}%`;
}

/** 0x20000000 → "0x20000000": eight upper-case hex digits. */
export function formatAddress(address: number): string {
  return '0x' + address.toString(16).toUpperCase().padStart(8, '0');
}
