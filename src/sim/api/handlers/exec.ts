import { runLive } from '../../node/process/exec-session.js';
import type { ApiError } from '../errors.js';
import { badRequest } from '../errors.js';
import { remoteCommandOptions, serveRemoteCommand } from '../stream/session.js';
import { rejectUpgrade, type UpgradeContext, type UpgradeHandler, upgradeKind } from '../stream/upgrade.js';
import {
  containerHost,
  containerSpec,
  instancesOf,
  type NodeRuntimes,
  podOf,
  runtimeOf,
} from './pod-target.js';

/**
 * `pods/exec` and `pods/attach` over WebSocket (the remote-command protocol, v5 to v1).
 * kubectl 1.29 and older speak SPDY only: they get a refusal that says which kubectl works.
 */

export const SPDY_REFUSAL =
  'the simulated cluster serves exec, attach and port-forward over WebSocket only, and this client asked for SPDY (kubectl 1.29 and older do); use kubectl 1.30 or newer, or with kubectl 1.29 set KUBECTL_REMOTE_COMMAND_WEBSOCKETS=true';

/** Validate the request as the API server and kubelet would, before switching protocols. */
function target(ctx: UpgradeContext, runtimes: NodeRuntimes) {
  const pod = podOf(ctx.services, ctx.info?.namespace, ctx.info?.name);
  const { spec } = containerSpec(pod, ctx.url.searchParams.get('container'));
  const runtime = runtimeOf(runtimes, pod);
  const instances = instancesOf(runtime, pod, spec.name);
  const c = instances[instances.length - 1];
  if (c?.state !== 'running') throw badRequest(`container not found (${JSON.stringify(spec.name)})`);
  return { pod, spec, runtime, c: c! };
}

function guard(ctx: UpgradeContext, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    if (!(err as ApiError).toStatus) throw err;
    rejectUpgrade(ctx.socket, err as ApiError);
  }
}

export function execHandler(
  runtimes: NodeRuntimes,
  nodeMemory: (node: string) => string | undefined,
): UpgradeHandler {
  return (ctx) =>
    guard(ctx, () => {
      const { pod, spec, runtime, c } = target(ctx, runtimes);
      if (upgradeKind(ctx) !== 'websocket') throw badRequest(SPDY_REFUSAL);
      const opts = remoteCommandOptions(ctx.url.searchParams);
      if (opts.argv.length === 0) throw badRequest('you must specify at least 1 command');
      const clock = ctx.services.clock;
      serveRemoteCommand(ctx, opts, async (io) => {
        const pid = c.spawnExec(opts.argv, runtime.now());
        try {
          return await runLive(
            {
              shell: c.config.image.variant.shell,
              fs: c.fs,
              env: c.config.env,
              hostname: c.config.hostname,
              host: containerHost(runtime, pod, c, nodeMemory(runtime.nodeName)),
              resolve: (n) => c.config.resolve(n),
              now: () => clock.now().getTime(),
              wait: (ms) => new Promise((r) => clock.setTimeout(r, ms)),
              cwd: spec.workingDir,
            },
            opts.argv,
            io,
          );
        } finally {
          c.endExec(pid);
        }
      });
    });
}

/**
 * `kubectl attach`: the container's output from now on, until it exits or the client
 * detaches. The main processes of the sim's images never read stdin, so input is accepted
 * and dropped (see docs/sim-exec.md).
 */
export function attachHandler(runtimes: NodeRuntimes): UpgradeHandler {
  return (ctx) =>
    guard(ctx, () => {
      const { c } = target(ctx, runtimes);
      if (upgradeKind(ctx) !== 'websocket') throw badRequest(SPDY_REFUSAL);
      const opts = remoteCommandOptions(ctx.url.searchParams);
      serveRemoteCommand(ctx, { ...opts, argv: c.config.argv }, async (io) => {
        const off = c.followLogs((line) =>
          line.stream === 'stdout' ? io.stdout(`${line.text}\n`) : io.stderr(`${line.text}\n`),
        );
        void (async () => {
          if (io.stdin) for await (const _ of io.stdin) void _;
        })();
        await Promise.race([
          c.exited(),
          new Promise<void>((r) => io.signal.addEventListener('abort', () => r())),
        ]);
        off();
        return c.exitCode ?? 0;
      });
    });
}
