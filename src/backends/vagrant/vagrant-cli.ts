import { ExecaError, execa } from 'execa';
import { UserError } from '../../errors.js';
import { errorExit, parseRecord, type VagrantRecord } from './machine-readable.js';

export interface VagrantRun {
  /** The `vagrant` executable (found on PATH by the caller). */
  bin: string;
  /** The lab's directory: its Vagrantfile and its `.vagrant` state. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  /** Every record, as Vagrant prints it. */
  onRecord?(r: VagrantRecord): void;
  /** Every raw line (for the lab's log). */
  onLine?(line: string): void;
}

/** A failed vagrant command: what ran, how it ended, and what Vagrant said went wrong. */
export class VagrantError extends UserError {
  constructor(
    readonly argv: string[],
    readonly vagrantExitCode: number | undefined,
    readonly output: string[],
    message: string | undefined,
    fix?: string,
  ) {
    const tail = (message ? message.split('\n') : output.slice(-15))
      .filter((l) => l.trim() !== '')
      .map((l) => `  ${l}`)
      .join('\n');
    super(
      `vagrant ${argv.join(' ')} ${vagrantExitCode === undefined ? 'could not run' : `exited with code ${vagrantExitCode}`}` +
        (tail ? `:\n${tail}` : ''),
      { fix },
    );
  }
}

/**
 * The environment vagrant runs in: the lab's directory holds the Vagrantfile and the machine
 * state (so `vagrant` typed there by hand sees the same machines), and no version check
 * phones home.
 */
export function vagrantEnv(cwd: string, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return {
    ...env,
    VAGRANT_CWD: cwd,
    VAGRANT_DOTFILE_PATH: `${cwd}/.vagrant`,
    VAGRANT_CHECKPOINT_DISABLE: '1',
    // Ruby warnings from the plugins go to stderr and are not records; keep them out.
    RUBYOPT: [env.RUBYOPT, '-W0'].filter(Boolean).join(' '),
  };
}

/** Run vagrant with --machine-readable; returns the records, or throws VagrantError. */
export async function runVagrant(argv: string[], o: VagrantRun): Promise<VagrantRecord[]> {
  const full = [...argv, '--machine-readable'];
  const records: VagrantRecord[] = [];
  const lines: string[] = [];
  const proc = execa(o.bin, full, {
    cwd: o.cwd,
    env: vagrantEnv(o.cwd, o.env),
    extendEnv: false,
    all: true,
    buffer: false,
    stdin: 'ignore',
    cancelSignal: o.signal,
    // Vagrant stops its machines' actions cleanly on SIGINT; give it time, then end it.
    killSignal: 'SIGINT',
    forceKillAfterDelay: 20_000,
  });
  proc.all?.setEncoding('utf8');
  let partial = '';
  const take = (line: string) => {
    lines.push(line);
    o.onLine?.(line);
    const r = parseRecord(line);
    if (r) {
      records.push(r);
      o.onRecord?.(r);
    }
  };
  proc.all?.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) take(line);
  });
  try {
    await proc;
  } catch (err) {
    if (partial) take(partial);
    if (o.signal?.aborted) throw o.signal.reason ?? err;
    if (err instanceof ExecaError && err.code === 'ENOENT')
      throw new VagrantError(full, undefined, [`${o.bin} was not found`], undefined);
    const code = err instanceof ExecaError ? err.exitCode : undefined;
    throw new VagrantError(full, code, lines, errorExit(records)?.message);
  }
  if (partial) take(partial);
  return records;
}
