// drone-heap: the command-line shell around the core, for terminals and CI.
import { CHECK_USAGE, runCheck } from './cli/check';
import { readRegularFileBytesSync, readRegularFileSync } from './core/regularFile';
import { COMPARE_USAGE, runCompare } from './cli/compare';
import { DEVICE_USAGE, runDevice } from './cli/device';
import { EXIT_OK, EXIT_USAGE, UsageError, type CliIO } from './cli/io';
import { OPTIMIZE_USAGE, runOptimize } from './cli/optimize';
import { RAM_USAGE, runRam } from './cli/ram';
import { runSimulate, SIMULATE_USAGE } from './cli/simulate';
import { runStarter, STARTER_USAGE } from './cli/starter';
import { runStats, STATS_USAGE } from './cli/stats';
import { runIfHelperThread } from './threads/helperThread';

const USAGE = `Usage: drone-heap <command> [options]

Commands:
  check [FILE…] [--json]    check Drone.toml heap sections (default ./Drone.toml)
  stats --trace FILE        per-size statistics of a heap trace (as \`drone heap\`)
  simulate --trace FILE     replay a trace through the pools of a heap
            [--config Drone.toml] [--heap main] [--json]
  optimize --trace FILE     propose pools from a trace, verified by replay
            [--pools N] [--mode exact|drone] [--minimal] [--margin P] [--write]
  compare --trace FILE      Drone's pools vs best-fit and defrag allocators on that trace
            [--config Drone.toml] [--heap main] [--json] [--indexes N]
  starter --size SIZE       the heap section \`drone new\` writes [--pools N] [--legacy]
  ram                       where RAM goes (stack room, static data, heap), from the firmware
            [--config Drone.toml] [--elf FILE] [--min-stack SIZE] [--json]
  device --dump FILE        the heap on the board (per-pool peak, in use, free) from a RAM dump
            [--config Drone.toml] [--elf FILE] [--dump-address ADDR] [--json]

Run 'drone-heap <command> --help' for a command's options.`;

const COMMANDS: Record<string, { run: (args: string[], io: CliIO) => number | Promise<number>; usage: string }> = {
  check: { run: runCheck, usage: CHECK_USAGE },
  stats: { run: runStats, usage: STATS_USAGE },
  simulate: { run: runSimulate, usage: SIMULATE_USAGE },
  optimize: { run: runOptimize, usage: OPTIMIZE_USAGE },
  compare: { run: runCompare, usage: COMPARE_USAGE },
  starter: { run: runStarter, usage: STARTER_USAGE },
  ram: { run: runRam, usage: RAM_USAGE },
  device: { run: runDevice, usage: DEVICE_USAGE },
};

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(USAGE + '\n');
    return command ? EXIT_OK : EXIT_USAGE;
  }
  if (command === '--version') {
    io.stdout('drone-heap 0.1.0\n');
    return EXIT_OK;
  }
  const entry = COMMANDS[command];
  if (!entry) {
    io.stderr(`drone-heap: unknown command "${command}"\n\n${USAGE}\n`);
    return EXIT_USAGE;
  }
  try {
    return await entry.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`drone-heap ${command}: ${error.message}\n\n${entry.usage}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}

/**
 * A reader that goes away early (`drone-heap stats … | head -1`) closes our output. Like any
 * Unix tool, stop writing and end quietly: no "Unhandled 'error' event", no stack trace. The
 * command still finishes, so the exit status is its own (`check | head` still fails on errors).
 */
function quietWhenClosed(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed = true;
  });
  return (text) => {
    if (!closed) stream.write(text);
  };
}

// In a worker thread this bundle is a helper of `compare` or `optimize` (cli/helperThread.ts), not the CLI.
if (!runIfHelperThread() && require.main === module) {
  const io: CliIO = {
    stdout: quietWhenClosed(process.stdout),
    stderr: quietWhenClosed(process.stderr),
    readFile: readRegularFileSync,
    readBytes: readRegularFileBytesSync,
    cwd: process.cwd(),
    isInteractive: !!process.stderr.isTTY,
  };
  void main(process.argv.slice(2), io).then((status) => (process.exitCode = status));
}
