/**
 * The remote-command stream protocol kubectl speaks for `exec` and `attach` over WebSocket
 * (apimachinery `pkg/util/remotecommand/constants.go`, client-go `tools/remotecommand`):
 * every binary message starts with a channel byte. v4 and v5 report the outcome as a
 * `metav1.Status` on the error channel; v5 adds the CLOSE signal (`[255, channel]`) that
 * lets a client say "no more stdin" without closing the connection.
 */

export const CHANNEL = {
  stdin: 0,
  stdout: 1,
  stderr: 2,
  error: 3,
  resize: 4,
  /** v5 only: `[255, n]` half-closes channel n. */
  close: 255,
} as const;

/** What the sim offers, best first; kubectl ≥ 1.30 asks only for v5, client-node for v5…v1. */
export const REMOTE_COMMAND_PROTOCOLS = [
  'v5.channel.k8s.io',
  'v4.channel.k8s.io',
  'v3.channel.k8s.io',
  'v2.channel.k8s.io',
  'channel.k8s.io',
] as const;

export type RemoteCommandProtocol = (typeof REMOTE_COMMAND_PROTOCOLS)[number];

/** Pick the first protocol of ours the client offers (an empty offer means v1, as upstream). */
export function pickProtocol(offered: Iterable<string>): RemoteCommandProtocol | undefined {
  const set = new Set(offered);
  if (set.size === 0) return 'channel.k8s.io';
  return REMOTE_COMMAND_PROTOCOLS.find((p) => set.has(p));
}

/** v4 and v5 send a Status object on the error channel; v1–v3 send a plain message on failure only. */
export const statusIsJson = (p: RemoteCommandProtocol) =>
  p === 'v5.channel.k8s.io' || p === 'v4.channel.k8s.io';

export interface TerminalSize {
  width: number;
  height: number;
}

/** The Status kubelet reports when the command ended 0. */
export function successStatus(): Record<string, unknown> {
  return { metadata: {}, status: 'Success' };
}

/**
 * The Status for a command that exited non-zero: kubectl turns the `ExitCode` cause into its
 * own exit code and prints `command terminated with exit code N`.
 */
export function exitCodeStatus(argv: string[], code: number): Record<string, unknown> {
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${argv.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

/** The Status for a command that could not run at all (`executable file not found`). */
export function errorStatus(message: string): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason: 'InternalError', code: 500 };
}
