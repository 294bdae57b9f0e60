import * as os from 'node:os';
import type { LabsContext } from '../backends/labs.js';
import type { Logger } from '../backends/types.js';
import { installPaths } from '../state/install.js';
import { stateDir } from '../state/paths.js';
import { clusterlabCommand, localize } from './invocation.js';
import type { CliIO } from './io.js';
import { createCliLogger, createStatusRenderer, type StatusRenderer } from './render/status-line.js';
import { createStyle, type Style, wantsColor } from './render/style.js';

/** What every command gets: its streams and environment, where state lives, and how to report. */
export interface CommandContext {
  io: CliIO;
  stateDir: string;
  signal: AbortSignal;
  verbose: boolean;
  /** Style for stdout and stderr (each coloured only when it is a terminal). */
  out: Style;
  err: Style;
  /** Phases and log lines, on stderr: live on a terminal, plain lines otherwise. */
  status: StatusRenderer;
  log: Logger;
  labs: LabsContext;
  /** How to run clusterlab from here (`npx clusterlab`, `clusterlab`, …), for suggested commands. */
  invocation: string;
  /** A suggested `clusterlab …` command, spelled the way it runs from here. */
  cmd(command: string): string;
}

export function createContext(io: CliIO, signal: AbortSignal, verbose: boolean): CommandContext {
  const err = createStyle(wantsColor(io.stderr, io.env));
  const status = createStatusRenderer(io.stderr, err, !!io.stderr.isTTY && io.env.TERM !== 'dumb');
  const log = createCliLogger(status, err, verbose);
  const state = stateDir({ env: io.env, platform: io.platform, homedir: homeOf(io.env), cwd: io.cwd });
  const invocation = clusterlabCommand({ ...io, root: installPaths().root });
  return {
    io,
    stateDir: state,
    signal,
    verbose,
    out: createStyle(wantsColor(io.stdout, io.env)),
    err,
    status,
    log,
    labs: { stateDir: state, log, env: io.env },
    invocation,
    cmd: (command) => localize(command, invocation),
  };
}

/** The home directory as the given environment says (tests pass their own), else the OS's. */
function homeOf(env: NodeJS.ProcessEnv): string {
  return env.HOME || env.USERPROFILE || os.homedir();
}
