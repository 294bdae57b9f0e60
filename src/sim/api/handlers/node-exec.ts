import type { Controller } from '../../controllers/types.js';
import { NodeViewController } from '../../node/view/controller.js';
import { runOnNode } from '../../node/view/node-shell.js';
import { ApiError, badRequest } from '../errors.js';
import { remoteCommandOptions, serveRemoteCommand } from '../stream/session.js';
import { type UpgradeHandler, upgradeKind } from '../stream/upgrade.js';

/**
 * `/apis/sim.clusterlab.dev/v1/nodes/{name}/exec`: a command (or an interactive shell) on a
 * simulated node, over the same WebSocket remote-command protocol as `pods/exec`, with the
 * lab's credentials. `clusterlab ssh` and `clusterlab node exec` use it; it is the sim's
 * counterpart of `docker exec` into a kind node.
 */

export const NODE_EXEC_PREFIX = '/apis/sim.clusterlab.dev/v1/nodes/';

export function nodeExecRoute(controllers: readonly Controller[]): [string, UpgradeHandler] {
  return [
    NODE_EXEC_PREFIX,
    (ctx) => {
      const m = /^\/apis\/sim\.clusterlab\.dev\/v1\/nodes\/([^/]+)\/exec$/.exec(ctx.url.pathname);
      if (!m) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});
      const name = decodeURIComponent(m[1]!);
      if (upgradeKind(ctx) !== 'websocket') throw badRequest('node exec needs a WebSocket connection');
      const view = controllers.find((c): c is NodeViewController => c instanceof NodeViewController)?.view;
      if (!view?.store.get('core/nodes', undefined, name))
        throw new ApiError(404, 'NotFound', `nodes "${name}" not found`, { kind: 'nodes', name });
      if (!view.runtime(name))
        throw new ApiError(
          409,
          'Conflict',
          `node "${name}" has no shell: it was not registered as a kind node with a CRI-O runtime`,
        );
      const opts = remoteCommandOptions(ctx.url.searchParams);
      if (opts.argv.length === 0) opts.argv = ['bash'];
      serveRemoteCommand(ctx, opts, (io) =>
        runOnNode(view, name, opts.argv, {
          tty: io.tty,
          stdin: io.stdin,
          stdout: (t) => io.stdout(t),
          stderr: (t) => io.stderr(t),
          signal: io.signal,
        }),
      );
    },
  ];
}
