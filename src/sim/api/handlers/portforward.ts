import { badRequest } from '../errors.js';
import type { UpgradeHandler } from '../stream/upgrade.js';
import { rejectUpgrade } from '../stream/upgrade.js';
import { podOf } from './pod-target.js';

/**
 * `kubectl port-forward` needs SPDY/3.1 framing (kubectl 1.31+ tunnels it inside a WebSocket),
 * which the sim does not speak. It refuses with a message that says how to reach the pod.
 */

export function portForwardRefusal(pod: string, namespace: string): string {
  const ns = namespace === 'default' ? '' : ` -n ${namespace}`;
  return `port-forward is not available on the simulated cluster (it needs SPDY framing the sim does not implement); reach the port from inside the cluster instead: \`kubectl exec${ns} ${pod} -- wget -qO- localhost:PORT\`, or from another pod through a Service: \`kubectl run tmp --rm -it --image=busybox -- wget -qO- http://SERVICE:PORT\``;
}

export function portForwardHandler(): UpgradeHandler {
  return (ctx) => {
    try {
      const pod = podOf(ctx.services, ctx.info?.namespace, ctx.info?.name);
      rejectUpgrade(ctx.socket, badRequest(portForwardRefusal(pod.metadata.name!, pod.metadata.namespace!)));
    } catch (err) {
      if (!(err as { toStatus?: unknown }).toStatus) throw err;
      rejectUpgrade(ctx.socket, err as never);
    }
  };
}
