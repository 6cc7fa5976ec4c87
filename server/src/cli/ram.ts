// `drone-heap ram [--config Drone.toml] [--elf FILE] [--min-stack SIZE] [--json]`: where the
// RAM goes, from the firmware as built and Drone.toml as written — the stack's room, the
// static data, the heap — with the same findings the editor shows. Exit 0 without errors,
// 1 with an error finding (the link would fail, or an extra heap sits on a section), 2 on
// unusable input (no firmware, not an ELF, no [memory.ram]).
import { statSync } from 'node:fs';
import { parseSize } from '../core/config/sizes';
import { ramMapRows, ramMapRowsAsWritten, type RamMapRow } from '../core/firmware/describeBudget';
import { readElfFile } from '../core/firmware/elf';
import { firmwareFindings } from '../core/firmware/firmwareFindings';
import { ramBudget } from '../core/firmware/ramBudget';
import { formatAddress, formatPercent } from '../core/config/sizes';
import { EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE, parseArgs, UsageError, type CliIO } from './io';
import { loadConfig, loadFirmware } from './heapInput';
import { formatTable } from './traceInput';

export const RAM_USAGE = `Usage: drone-heap ram [--config Drone.toml] [--elf FILE] [--min-stack SIZE] [--json]
Where RAM goes: the stack's room, the static data (.bss, .data, .dronereg) and the heap, from
the firmware as built (default: the newest of target/<triple>/{release,debug}/<package> beside
Drone.toml) and Drone.toml as written. --min-stack (default 1K) is the stack room below which
the heap's size is warned about.
Exit status: 0 no errors, 1 an error (the link would fail, an extra heap overlaps a section),
2 unusable input.`;

export function runRam(args: string[], io: CliIO): number {
  const parsed = parseArgs(args, ['json', 'help'], ['config', 'elf', 'min-stack']);
  if (parsed.flags.has('help')) {
    io.stdout(RAM_USAGE + '\n');
    return EXIT_OK;
  }
  const configPath = parsed.options.get('config') ?? 'Drone.toml';
  const minStackText = parsed.options.get('min-stack') ?? '1K';
  const minStack = parseSize(minStackText);
  if (!minStack.ok) throw new UsageError(`--min-stack must be a size such as 1K or 2048, not "${minStackText}" (${minStack.reason})`);

  const config = loadConfig(io, configPath);
  if (!config) return EXIT_USAGE;
  const firmware = loadFirmware(io, configPath, parsed.options.get('elf'), 'build it (just build) or name it with --elf', readElfFile);
  if (!firmware) return EXIT_USAGE;
  const { path: firmwarePath, read: image } = firmware;
  const result = ramBudget(config, image);
  if (!result.ok) {
    io.stderr(`drone-heap: ${configPath}: ${result.reason}\n`);
    return EXIT_USAGE;
  }
  const budget = result.budget;
  const findings = firmwareFindings(config, budget, image, { minStackBytes: minStack.value, firmwareName: firmwarePath });
  const modified = new Date(statSync(firmwarePath).mtimeMs).toISOString();

  if (parsed.flags.has('json')) {
    const json = {
      config: configPath,
      firmware: { path: firmwarePath, machine: image.machine, modified },
      ram: budget.ram,
      sections: budget.sections,
      staticBytes: budget.staticBytes,
      stackBytes: budget.stackBytes,
      heapBytesBuilt: budget.heapBytesBuilt,
      heapBytesWritten: budget.heapBytesWritten,
      stale: budget.stale,
      stackBytesAsWritten: budget.stackBytesAsWritten,
      findings: findings.map((f) => {
        const at = config.lines.positionAt(f.span.start);
        return { code: f.code, severity: f.severity, message: f.message, line: at.line + 1, column: at.character + 1 };
      }),
    };
    io.stdout(JSON.stringify(json, null, 2) + '\n');
  } else {
    const lines = [
      `${firmwarePath} (${image.machine}, built ${modified.replace('T', ' ').slice(0, 16)} UTC) in ${configPath}'s RAM (${formatAddress(budget.ram.origin)}, ${budget.ram.size} B):`,
      '',
    ];
    lines.push(...mapTable(ramMapRows(budget), budget.ram.size));
    const asWritten = ramMapRowsAsWritten(budget);
    if (asWritten)
      lines.push(
        '',
        `as written (heap ${budget.heapBytesWritten} B; a prediction until the next build):`,
        '',
        ...mapTable(asWritten, budget.ram.size),
      );
    lines.push('');
    for (const f of findings) {
      const at = config.lines.positionAt(f.span.start);
      lines.push(`${configPath}:${at.line + 1}:${at.character + 1}: ${f.severity}: ${f.message} [${f.code}]`);
    }
    if (findings.length === 0) lines.push(`the stack keeps ${budget.stackBytesAsWritten ?? budget.stackBytes} B: no findings`);
    io.stdout(lines.join('\n') + '\n');
  }
  return findings.some((f) => f.severity === 'error') ? EXIT_PROBLEMS : EXIT_OK;
}

function mapTable(rows: RamMapRow[], ramBytes: number): string[] {
  return formatTable(
    ['', 'from', 'to', 'bytes', 'share'],
    rows.map((r) => [r.name, formatAddress(r.start), formatAddress(r.end), r.bytes, formatPercent(r.bytes, ramBytes)]),
  );
}
