/**
 * The shell's built-in commands: the ones that change the shell itself (variables, traps,
 * `exit`) rather than run a program.
 */

export class ShellExit {
  constructor(readonly code: number) {}
}

export const SIGNAL_NAMES: Record<string, string> = {
  '15': 'TERM',
  SIGTERM: 'TERM',
  TERM: 'TERM',
  '2': 'INT',
  SIGINT: 'INT',
  INT: 'INT',
  '3': 'QUIT',
  SIGQUIT: 'QUIT',
  QUIT: 'QUIT',
  '1': 'HUP',
  HUP: 'HUP',
  SIGHUP: 'HUP',
  EXIT: 'EXIT',
  '0': 'EXIT',
};

export interface BuiltinShell {
  vars: Map<string, string>;
  traps: Map<string, string>;
  /** `$?` when the built-in runs. */
  status: number;
  /** How the shell prefixes its own messages (`sh: `, `sh: 1: `). */
  prefix: string;
}

/** Run `cmd` if it is a built-in: its exit status, or undefined when it is not one. */
export function runBuiltin(
  shell: BuiltinShell,
  cmd: string,
  args: string[],
  stderr: (text: string) => void,
): number | undefined {
  switch (cmd) {
    case ':':
      return 0;
    case 'exit': {
      const arg = args[0];
      if (arg !== undefined && !/^\d+$/.test(arg)) {
        stderr(`${shell.prefix}exit: Illegal number: ${arg}\n`);
        throw new ShellExit(2);
      }
      throw new ShellExit(arg === undefined ? shell.status : Number(arg) & 255);
    }
    case 'export':
    case 'readonly':
    case 'local':
      for (const a of args) {
        const eq = a.indexOf('=');
        if (eq > 0) shell.vars.set(a.slice(0, eq), a.slice(eq + 1));
      }
      return 0;
    case 'unset':
      for (const a of args) shell.vars.delete(a);
      return 0;
    case 'set':
    case 'cd':
    case 'shift':
    case 'ulimit':
    case 'umask':
      return 0;
    case 'trap': {
      if (args.length < 2) return 0;
      const [action, ...sigs] = args as [string, ...string[]];
      for (const s of sigs) {
        const name = SIGNAL_NAMES[s] ?? s;
        if (action === '-') shell.traps.delete(name);
        else shell.traps.set(name, action);
      }
      return 0;
    }
  }
  return undefined;
}
