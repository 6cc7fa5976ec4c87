// Findings from the RAM budget (ramBudget.ts): what the heap as written leaves for the stack,
// judged against the firmware the user last built. The editor and `drone-heap ram` report the
// same findings with the same words.
import type { Finding } from '../checks/finding';
import type { DroneConfig } from '../config/droneConfig';
import { describeBytes, formatAddress } from '../config/sizes';
import { mainHeap, sectionsOverlappingHeap, type FirmwareImage, type RamBudget } from './ramBudget';

export interface FirmwareFindingOptions {
  /** Below this many bytes of stack room, `stack-room-low` warns (setting droneHeap.minStackBytes). */
  minStackBytes: number;
  /** How the firmware file is named in messages. */
  firmwareName: string;
}

export function firmwareFindings(
  config: DroneConfig,
  budget: RamBudget,
  firmware: FirmwareImage,
  options: FirmwareFindingOptions,
): Finding[] {
  const findings: Finding[] = [];
  const heap = mainHeap(config);
  const sizeSpan = heap?.size?.entry.value.span;
  const written = budget.heapBytesWritten;
  const staticText = `static data (${staticParts(budget)}) takes ${describeBytes(budget.staticBytes)}`;
  if (heap && sizeSpan && written !== null && budget.stackBytesAsWritten !== null) {
    const fits = budget.ram.size - budget.staticBytes;
    if (budget.stackBytesAsWritten < 0) {
      findings.push({
        code: 'ram-overflow',
        severity: 'error',
        span: sizeSpan,
        message:
          `\`memory.ram\` is ${describeBytes(budget.ram.size)}; ${staticText} in ${options.firmwareName} and \`${heap.qualifiedName}\` ${describeBytes(written)}: ` +
          `${-budget.stackBytesAsWritten} B too many, so the link will fail. The largest heap that fits is ${describeBytes(Math.max(0, floor4(fits)))}, and it leaves no stack.`,
        fixes: [],
      });
    } else if (budget.stackBytesAsWritten < options.minStackBytes) {
      findings.push({
        code: 'stack-room-low',
        severity: 'warning',
        span: sizeSpan,
        message:
          `The stack keeps ${describeBytes(budget.stackBytesAsWritten)} of RAM (less than droneHeap.minStackBytes, ${describeBytes(options.minStackBytes)}): ` +
          `\`memory.ram\` ${describeBytes(budget.ram.size)} − ${staticText} − \`${heap.qualifiedName}\` ${describeBytes(written)}. ` +
          `A stack that outgrows its room runs below the start of RAM and faults. A heap of at most ${describeBytes(Math.max(0, floor4(fits - options.minStackBytes)))} keeps ${describeBytes(options.minStackBytes)} for it.`,
        fixes: [],
      });
    }
    if (budget.stale && budget.heapBytesBuilt !== null) {
      findings.push({
        code: 'firmware-stale',
        severity: 'information',
        span: sizeSpan,
        message:
          `${options.firmwareName} was built with a ${describeBytes(budget.heapBytesBuilt)} heap; Drone.toml now says ${describeBytes(written)}. ` +
          `The stack's room as written (${describeBytes(Math.max(0, budget.stackBytesAsWritten))}) is a prediction until the next build, assuming the static data stays as it is.`,
        fixes: [],
      });
    }
  }
  for (const extra of config.heaps.filter((h) => h.isExtra)) {
    const span = extra.origin?.entry.value.span;
    if (!span) continue;
    for (const section of sectionsOverlappingHeap(config, extra, firmware)) {
      findings.push({
        code: 'heap-overlaps-section',
        severity: 'error',
        span,
        message:
          `\`${extra.qualifiedName}\` overlaps \`${section.name}\` (${formatAddress(section.address)}..${formatAddress(section.address + section.size)}, ${describeBytes(section.size)}), ` +
          `which ${options.firmwareName} places there: extra heaps get no linker section, so nothing stops the two from sharing memory.`,
        fixes: [],
      });
    }
  }
  return findings;
}

function staticParts(budget: RamBudget): string {
  const parts = budget.sections
    .filter((s) => s.name === '.bss' || s.name === '.data' || s.name === '.dronereg')
    .map((s) => `${s.name} ${s.size} B`);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const floor4 = (bytes: number): number => Math.floor(bytes / 4) * 4;
