import type { HttpAnswer, Process, ProcessHost } from './types.js';

/**
 * `stress` (polinux/stress, the memory hog of the Kubernetes docs). Memory workers (`--vm N`)
 * each allocate `--vm-bytes` (default 256M; k/m/g multiples of 1024, as stress counts) and
 * touch every page, so the container's memory climbs to N × SIZE within a fraction of a
 * second; above the memory limit the runtime OOM-kills it. `--timeout T` ends a run that
 * survives with `successful run completed`.
 */

const BASE_MEMORY = 900_000;
/** How fast a worker dirties its pages. */
const TOUCH_BYTES_PER_MS = 2_000_000;

/** stress's byte counts: `150M` = 150 × 1024 × 1024. */
export function stressBytes(arg: string): number | undefined {
  const m = /^(\d+)([bBkKmMgG]?)$/.exec(arg);
  if (!m) return undefined;
  const factor = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[
    m[2]!.toLowerCase() as '' | 'b' | 'k' | 'm' | 'g'
  ];
  return Number(m[1]) * factor;
}

/** stress's durations: `10`, `10s`, `2m`, `1h`, `1d`, `1y`. */
function stressSeconds(arg: string): number | undefined {
  const m = /^(\d+)([smhdy]?)$/.exec(arg);
  if (!m) return undefined;
  return (
    Number(m[1]) *
    { '': 1, s: 1, m: 60, h: 3600, d: 86_400, y: 31_536_000 }[m[2] as '' | 's' | 'm' | 'h' | 'd' | 'y']
  );
}

interface StressPlan {
  cpu: number;
  io: number;
  vm: number;
  hdd: number;
  vmBytes: number;
  timeoutSec?: number;
  error?: string;
}

export function parseStressArgs(args: string[]): StressPlan {
  const plan: StressPlan = { cpu: 0, io: 0, vm: 0, hdd: 0, vmBytes: 256 * 1024 ** 2 };
  const counts: Record<string, 'cpu' | 'io' | 'vm' | 'hdd'> = {
    '-c': 'cpu',
    '--cpu': 'cpu',
    '-i': 'io',
    '--io': 'io',
    '-m': 'vm',
    '--vm': 'vm',
    '-d': 'hdd',
    '--hdd': 'hdd',
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = args[i + 1];
    if (counts[a]) {
      plan[counts[a]] = Number.parseInt(value ?? '', 10) || 0;
      i++;
    } else if (a === '--vm-bytes') {
      const b = stressBytes(value ?? '');
      if (b === undefined) plan.error = `invalid number: ${value}`;
      else plan.vmBytes = b;
      i++;
    } else if (a === '-t' || a === '--timeout') {
      plan.timeoutSec = stressSeconds(value ?? '');
      i++;
    } else if (['--vm-hang', '--vm-stride', '--hdd-bytes', '--backoff'].includes(a)) i++;
  }
  return plan;
}

export class StressProcess implements Process {
  constructor(private readonly args: string[]) {}

  start(host: ProcessHost, startedAt: number): void {
    const plan = parseStressArgs(this.args);
    host.setMemory(BASE_MEMORY, startedAt);
    const workers = plan.cpu + plan.io + plan.vm + plan.hdd;
    if (plan.error || workers === 0) {
      if (plan.error) host.write('stderr', `stress: FAIL: [1] (${plan.error})\n`, startedAt);
      else
        host.write(
          'stdout',
          "`stress' imposes certain types of compute stress on your system\n\nUsage: stress [OPTION [ARG]] ...\n",
          startedAt,
        );
      host.exit(1, startedAt);
      return;
    }
    host.write(
      'stdout',
      `stress: info: [1] dispatching hogs: ${plan.cpu} cpu, ${plan.io} io, ${plan.vm} vm, ${plan.hdd} hdd\n`,
      startedAt,
    );
    if (plan.vm > 0) {
      const total = BASE_MEMORY + plan.vm * plan.vmBytes;
      host.at(startedAt + 50 + Math.ceil(plan.vmBytes / TOUCH_BYTES_PER_MS), () =>
        host.setMemory(total, startedAt + 50 + Math.ceil(plan.vmBytes / TOUCH_BYTES_PER_MS)),
      );
    }
    if (plan.timeoutSec !== undefined) {
      const end = startedAt + plan.timeoutSec * 1000;
      host.at(end, () => {
        host.write('stdout', `stress: info: [1] successful run completed in ${plan.timeoutSec}s\n`, end);
        host.exit(0, end);
      });
    }
  }

  /** stress installs no handlers: as PID 1 it ignores SIGTERM and is killed at the grace period. */
  signal(): void {}

  listens(): boolean {
    return false;
  }

  http(): HttpAnswer | undefined {
    return undefined;
  }
}
