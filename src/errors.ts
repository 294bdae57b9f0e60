/**
 * Errors that reach a person. Core code throws these; only the CLI entry point turns them into
 * output and an exit code, so every layer can stay silent and testable.
 */

/** Something the user can fix: `message` says what happened and why, `fix` the command that fixes it. */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  readonly fix: string | undefined;
  readonly exitCode: number;

  constructor(message: string, opts: { fix?: string; cause?: unknown; exitCode?: number } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.fix = opts.fix;
    this.exitCode = opts.exitCode ?? 1;
  }
}

/** The user pressed Ctrl-C (or the caller aborted); what was half-made has been cleaned up. */
export class InterruptedError extends UserError {
  override readonly name = 'InterruptedError';

  constructor(message: string) {
    super(message, { exitCode: 130 });
  }
}
