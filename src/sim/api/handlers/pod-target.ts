import { runtimeUid } from '../../controllers/kubelet/context.js';
import { quantityValue } from '../../kinds/common/quantity.js';
import type { RuntimeContainer } from '../../node/container.js';
import type { ShellHost } from '../../node/process/shell/context.js';
import type { NodeRuntime } from '../../node/runtime.js';
import type { KubeObject } from '../../store/types.js';
import { badRequest, notFound } from '../errors.js';
import type { ApiServices } from '../services.js';

/**
 * Finding what `kubectl exec`, `attach` and `logs` talk to: the pod, which of its containers
 * (with the API server's wording when the choice is missing or wrong), and the container
 * runtime of the node it runs on.
 */

/** A node's container runtime by node name (undefined: no kubelet there). */
export type NodeRuntimes = (nodeName: string) => NodeRuntime | undefined;

export function podOf(svc: ApiServices, namespace: string | undefined, name: string | undefined): KubeObject {
  const pod = svc.store.get('core/pods', namespace, name ?? '');
  if (!pod) throw notFound('', 'pods', name ?? '');
  return pod;
}

/** The container a request names, or the only one; the upstream errors otherwise. */
export function containerSpec(pod: KubeObject, name: string | null): { spec: any; init: boolean } {
  const containers: any[] = pod.spec?.containers ?? [];
  const inits: any[] = pod.spec?.initContainers ?? [];
  const podName = pod.metadata.name;
  if (!name) {
    if (containers.length === 1) return { spec: containers[0], init: false };
    const names = containers.map((c) => c.name).join(' ');
    const initNames = inits.map((c) => c.name).join(' ');
    throw badRequest(
      `a container name must be specified for pod ${podName}, choose one of: [${names}]${inits.length ? ` or one of the init containers: [${initNames}]` : ''}`,
    );
  }
  const app = containers.find((c) => c.name === name);
  if (app) return { spec: app, init: false };
  const init = inits.find((c) => c.name === name);
  if (init) return { spec: init, init: true };
  const eph = (pod.spec?.ephemeralContainers ?? []).find((c: any) => c.name === name);
  if (eph) return { spec: eph, init: false };
  throw badRequest(`container ${name} is not valid for pod ${podName}`);
}

export function runtimeOf(runtimes: NodeRuntimes, pod: KubeObject): NodeRuntime {
  const node = pod.spec?.nodeName;
  if (!node) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  const runtime = runtimes(node);
  if (!runtime) throw badRequest(`pod ${pod.metadata.name} does not have a host assigned`);
  return runtime;
}

/** The instances of a container, oldest first (the runtime keeps the current and the one before). */
export function instancesOf(runtime: NodeRuntime, pod: KubeObject, name: string): RuntimeContainer[] {
  return runtime.containersOf(runtimeUid(pod)).filter((c) => c.name === name);
}

/** What the shell sees of the container it runs in. */
export function containerHost(
  runtime: NodeRuntime,
  pod: KubeObject,
  c: RuntimeContainer,
  nodeMemory: string | undefined,
): ShellHost {
  return {
    kind: 'container',
    nodeName: runtime.nodeName,
    namespace: pod.metadata.namespace,
    podName: pod.metadata.name,
    podUid: pod.metadata.uid,
    containerName: c.name,
    user: c.config.user ?? { uid: 0, gid: 0, groups: [0] },
    memoryTotalBytes: nodeMemory ? quantityValue(nodeMemory) : undefined,
    memoryUsedBytes: () => c.memoryBytes,
    processes: () => [
      {
        pid: 1,
        user: '',
        state: 'S',
        vszKb: 1600,
        rssKb: Math.round(c.memoryBytes / 1024),
        startedAt: c.startedAt ?? 0,
        command: c.config.argv.join(' '),
      },
      ...[...c.execs].map(([pid, p]) => ({
        pid,
        user: '',
        state: 'S',
        vszKb: 1600,
        rssKb: 900,
        startedAt: p.startedAt,
        command: p.argv.join(' '),
      })),
    ],
    kill: (pid, signal) => {
      if (pid === 1) {
        const sig = `SIG${signal}`;
        if (sig === 'SIGKILL') c.kill(runtime.now());
        else if (['SIGTERM', 'SIGINT', 'SIGQUIT', 'SIGHUP'].includes(sig))
          c.signal(sig as 'SIGTERM', runtime.now());
        return true;
      }
      return c.execs.has(pid);
    },
  };
}
