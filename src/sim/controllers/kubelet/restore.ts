import type { RuntimeContainer } from '../../node/container.js';
import { parseImageReference } from '../../node/images/reference.js';
import type { KubeObject } from '../../store/types.js';
import { type KubeletContext, runtimeUid } from './context.js';
import type { PodWorker } from './pod-worker.js';
import { buildContainer } from './start.js';
import type { PodVolumes } from './volumes.js';

/**
 * After the sim restarts, a node's runtime is rebuilt from the pod statuses in the store, as
 * if CRI-O had kept running while the kubelet restarted: the pod keeps its IP, running
 * containers keep their IDs and start times (their programs resume where they would be),
 * exited ones keep their exit codes, and images that containers used count as pulled.
 */

const ms = (t: string | undefined) => (t ? Date.parse(t) : undefined);
const stripId = (id: string | undefined) => id?.replace(/^[a-z-]+:\/\//, '');

export function restorePod(
  ctx: KubeletContext,
  worker: PodWorker,
  volumes: PodVolumes,
  pod: KubeObject,
  onExit: (c: RuntimeContainer) => void,
): void {
  const status = pod.status ?? {};
  const terminal = status.phase === 'Succeeded' || status.phase === 'Failed';
  const uid = runtimeUid(pod);
  const specs: Array<[any, boolean, any]> = [
    ...(pod.spec.initContainers ?? []).map((c: any) => [
      c,
      true,
      (status.initContainerStatuses ?? []).find((s: any) => s.name === c.name),
    ]),
    ...(pod.spec.containers ?? []).map((c: any) => [
      c,
      false,
      (status.containerStatuses ?? []).find((s: any) => s.name === c.name),
    ]),
  ] as Array<[any, boolean, any]>;
  const hasContainers = specs.some(([, , cs]) => cs?.containerID || cs?.lastState?.terminated);
  let podIP = status.podIP ?? ctx.runtime.nodeIP;
  if (!terminal && hasContainers && (status.podIP || pod.spec.hostNetwork)) {
    const sandbox = ctx.runtime.runSandbox(
      {
        uid,
        namespace: pod.metadata.namespace!,
        name: pod.metadata.name!,
        hostNetwork: !!pod.spec.hostNetwork,
      },
      ms(status.startTime) ?? ctx.now(),
      status.podIP,
    );
    if (typeof sandbox !== 'string') podIP = sandbox.ip;
  }
  for (const [spec, init, cs] of specs) {
    if (!cs) continue;
    const waiting = cs.state?.waiting;
    if (waiting?.reason && waiting.reason !== 'ContainerCreating' && waiting.reason !== 'PodInitializing')
      worker.restoreReason(spec.name, { reason: waiting.reason, message: waiting.message });
    const parsed = parseImageReference(cs.image ?? '');
    if (!parsed.ok) continue;
    const image =
      ctx.runtime.images.find(parsed.ref) ?? ctx.runtime.images.add(parsed.ref, ms(status.startTime) ?? 0);
    if (!image) continue;
    const built = buildContainer(ctx, pod, spec, image, podIP, () =>
      volumes.mounts(pod, spec, ctx.runtime, podIP, ctx.now()),
    );
    if (!built.ok) continue;
    const restartCount: number = cs.restartCount ?? 0;
    const exited = (t: any, attempt: number) => {
      const c = ctx.runtime.createContainer(
        { ...built.config, attempt },
        ms(t.startedAt) ?? ctx.now(),
        stripId(t.containerID),
      );
      c.restoreExited(t.exitCode ?? 0, t.reason, ms(t.startedAt), ms(t.finishedAt) ?? ctx.now());
      return c;
    };
    const last = cs.lastState?.terminated;
    const current = cs.state ?? {};
    if (current.waiting && last?.containerID) {
      exited(last, restartCount);
      continue;
    }
    if (last?.containerID) exited(last, Math.max(0, restartCount - 1));
    if (current.terminated?.containerID) exited(current.terminated, restartCount);
    else if (current.running && cs.containerID && !terminal) {
      const c = ctx.runtime.createContainer(
        { ...built.config, attempt: restartCount },
        ms(current.running.startedAt) ?? ctx.now(),
        stripId(cs.containerID),
      );
      c.onExit(onExit);
      c.start(built.process, ms(current.running.startedAt) ?? ctx.now());
      if (c.state === 'running') worker.probeState.watch(spec, init, c, podIP, !!cs.ready);
    }
  }
}
