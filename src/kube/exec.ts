import { Writable } from 'node:stream';
import { Exec, type V1Status } from '@kubernetes/client-node';
import type { KubeClient } from './client.js';

export interface PodExecResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/** A command in a pod's container over the API server's exec WebSocket, like `kubectl exec`. */
export type PodExec = (
  namespace: string,
  pod: string,
  container: string,
  command: string[],
  timeoutMs: number,
) => Promise<PodExecResult>;

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString('utf8');
    done();
  }
}

/** The exit code a finished exec reports: Success is 0, `NonZeroExitCode` carries the code. */
export function exitCodeOf(status: V1Status): number {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  const n = Number(cause?.message);
  return Number.isInteger(n) ? n : 1;
}

/** WebSocket failures arrive as events, not Errors: keep what they say ("Unexpected server response: 404"). */
function describeFailure(err: unknown): string {
  const m = (err as { message?: unknown } | null)?.message;
  return typeof m === 'string' && m !== '' ? m : String(err);
}

export function podExecFor(client: KubeClient): PodExec {
  const exec = new Exec(client.kc);
  return (namespace, pod, container, command, timeoutMs) =>
    new Promise<PodExecResult>((resolve, reject) => {
      const stdout = new Collect();
      const stderr = new Collect();
      let settled = false;
      let socket: { close(): void } | undefined;
      const finish = (fn: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        fn();
      };
      const timer = setTimeout(
        () =>
          finish(() => {
            socket?.close();
            reject(
              new Error(
                `"${command.join(' ')}" in pod ${namespace}/${pod} did not finish within ${timeoutMs} ms`,
              ),
            );
          }),
        timeoutMs,
      );
      exec
        .exec(namespace, pod, container, command, stdout, stderr, null, false, (status) =>
          finish(() => resolve({ stdout: stdout.text, stderr: stderr.text, exitCode: exitCodeOf(status) })),
        )
        .then((ws) => {
          socket = ws;
          if (settled) ws.close();
          ws.on('close', () =>
            // A socket that closes without a status lost the command's outcome.
            finish(() =>
              reject(
                new Error(`the exec connection to pod ${namespace}/${pod} closed without an exit status`),
              ),
            ),
          );
        })
        .catch((err: unknown) =>
          finish(() => reject(err instanceof Error ? err : new Error(describeFailure(err)))),
        );
    });
}
