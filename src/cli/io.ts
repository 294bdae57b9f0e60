import type { StdioOptions } from 'node:child_process';

export type OutStream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

/** Everything a command may touch of the outside world, passed in so tests can supply their own. */
export interface CliIO {
  stdout: OutStream;
  stderr: OutStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  platform: NodeJS.Platform;
  /** How programs we run in the foreground (kubectl, a shell) get the terminal. */
  childStdio: StdioOptions;
}

export function processIO(): CliIO {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    cwd: process.cwd(),
    platform: process.platform,
    childStdio: 'inherit',
  };
}
