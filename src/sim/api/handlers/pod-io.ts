import { badRequest } from '../errors.js';
import type { UpgradeHandler } from '../stream/upgrade.js';
import type { Handler } from './context.js';
import { attachHandler, execHandler } from './exec.js';
import { logsHandler } from './logs.js';
import type { NodeRuntimes } from './pod-target.js';
import { portForwardHandler } from './portforward.js';

/**
 * The pod subresources the node layer serves: `log` over plain HTTP, `exec`, `attach` and
 * `portforward` as connection upgrades. A plain request to an upgrade-only subresource gets
 * the API server's `Upgrade request required`.
 */

export interface PodIoHandlers {
  subresourceHandlers: Record<string, Handler>;
  upgradeHandlers: Record<string, UpgradeHandler>;
}

const upgradeRequired: Handler = async () => {
  throw badRequest('Upgrade request required');
};

export function podIoHandlers(
  runtimes: NodeRuntimes,
  nodeMemory: (node: string) => string | undefined,
): PodIoHandlers {
  return {
    subresourceHandlers: {
      'pods/log': logsHandler(runtimes),
      'pods/exec': upgradeRequired,
      'pods/attach': upgradeRequired,
      'pods/portforward': upgradeRequired,
    },
    upgradeHandlers: {
      'pods/exec': execHandler(runtimes, nodeMemory),
      'pods/attach': attachHandler(runtimes),
      'pods/portforward': portForwardHandler(),
    },
  };
}
