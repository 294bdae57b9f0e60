import { quantityValue } from '../../kinds/common/quantity.js';
import type { ContainerConfig, RuntimeContainer } from '../../node/container.js';
import type { PresentImage } from '../../node/images/node-images.js';
import type { Mount } from '../../node/process/fs.js';
import { containerArgv, launch } from '../../node/process/launch.js';
import type { Process } from '../../node/process/types.js';
import type { KubeObject } from '../../store/types.js';
import { buildContainerFs } from './container-fs.js';
import { type KubeletContext, runtimeUid } from './context.js';
import { containerEnv, expandVars } from './env.js';
import { formatPod, goDuration, msg, reason, type WaitingReason } from './messages.js';

/**
 * Starting one container, in kubelet's order (`kuberuntime_container.go` startContainer and
 * `doBackOff`): the restart back-off, the image, the environment, creating the container
 * (`Created`) and starting it (`Started`). Each way to fail leaves a waiting reason that the
 * next status shows.
 */

export type StartOutcome =
  | { kind: 'started'; container: RuntimeContainer }
  | { kind: 'pending' }
  | { kind: 'failed'; reason: WaitingReason; message?: string; retryAt: number };

export interface StartRequest {
  pod: KubeObject;
  spec: any;
  init: boolean;
  podIP: string;
  /** The key of the pod in the kubelet's queue. */
  key: string;
  /** The container's volume mounts (computed only if the container looks at its files). */
  mounts: () => Mount[];
  /** Back-off events are at most this often per container (kubelet emits one per sync). */
  backOffEvent(name: string): boolean;
  /** Per container, the exited instance whose restart already passed the back-off. */
  backoffPassed: Map<string, string>;
  /** The container's process ended (kubelet's PLEG notices). */
  onExit(c: RuntimeContainer): void;
}

/** kubelet syncs a pod that failed to start a container again after this (`backOffPeriod`). */
export const SYNC_ERROR_RETRY_MS = 10_000;

export const fieldPath = (spec: any, init: boolean) =>
  `spec.${init ? 'initContainers' : 'containers'}{${spec.name}}`;

/** The user a container runs as: its securityContext, then the pod's, then the image's (root). */
function containerUser(pod: KubeObject, spec: any): { uid: number; gid: number; groups: number[] } {
  const podSc = pod.spec?.securityContext ?? {};
  const sc = spec.securityContext ?? {};
  const uid = sc.runAsUser ?? podSc.runAsUser ?? 0;
  const gid = sc.runAsGroup ?? podSc.runAsGroup ?? 0;
  const groups = [
    gid,
    ...(podSc.fsGroup !== undefined ? [podSc.fsGroup] : []),
    ...(podSc.supplementalGroups ?? []),
  ];
  return { uid, gid, groups: [...new Set(groups)] };
}

export function startContainer(ctx: KubeletContext, req: StartRequest): StartOutcome {
  const { pod, spec, init } = req;
  const uid = runtimeUid(pod);
  const now = ctx.now();
  const path = fieldPath(spec, init);
  const event = (type: 'Normal' | 'Warning', r: string, m: string) => ctx.event(pod, type, r, m, path);
  const instances = ctx.runtime.containersOf(uid).filter((c) => c.name === spec.name);
  const latest = instances[instances.length - 1];

  // doBackOff: measured from the finish of the last exited instance. A container just killed
  // for failing its liveness probe is restarted from the one before it, as kubelet computes
  // the restart before the kill completes.
  const exited = [...instances].reverse().find((c) => c.state === 'exited' && c.stopReason !== 'probe');
  const backoffKey = `${uid}_${spec.name}`;
  // Once an exited instance has passed the back-off, a start that waits for a pull or a
  // ConfigMap does not go through it again (kubelet does both in one sync).
  if (exited?.finishedAt !== undefined && req.backoffPassed.get(spec.name) !== exited.id) {
    if (ctx.crashBackoff.inBackOffSince(backoffKey, exited.finishedAt, now)) {
      const b = ctx.crashBackoff.get(backoffKey);
      if (req.backOffEvent(spec.name))
        event('Warning', reason.backOff, msg.backOffRestart(spec.name, formatPod(pod)));
      return {
        kind: 'failed',
        reason: 'CrashLoopBackOff',
        message: msg.crashLoop(goDuration(b), spec.name, formatPod(pod)),
        retryAt: exited.finishedAt + b,
      };
    }
    ctx.crashBackoff.next(backoffKey, exited.finishedAt, now);
    req.backoffPassed.set(spec.name, exited.id);
  }

  const image = ctx.images.ensure(uid, spec, { event, wake: () => ctx.wake(req.key) });
  if (image.state === 'pulling') return { kind: 'pending' };
  if (image.state === 'error') {
    event('Warning', reason.failed, msg.error(image.reason));
    const retryAt =
      image.reason === 'ImagePullBackOff'
        ? Math.min(
            ctx.images.retryAt(uid, spec.image) ?? now + SYNC_ERROR_RETRY_MS,
            now + SYNC_ERROR_RETRY_MS,
          )
        : now + (image.reason === 'ErrImagePull' ? 0 : SYNC_ERROR_RETRY_MS);
    return { kind: 'failed', reason: image.reason, message: image.message, retryAt };
  }

  const built = buildContainer(ctx, pod, spec, image.image, req.podIP, req.mounts);
  if (!built.ok) {
    event('Warning', reason.failed, msg.error(built.message));
    return {
      kind: 'failed',
      reason: built.reason,
      message: built.message,
      retryAt: now + SYNC_ERROR_RETRY_MS,
    };
  }
  const container = ctx.runtime.createContainer(
    { ...built.config, attempt: latest ? latest.config.attempt + 1 : 0 },
    now,
  );
  container.onExit(req.onExit);
  event('Normal', reason.created, msg.created(spec.name));
  container.start(built.process, now);
  event('Normal', reason.started, msg.started(spec.name));
  return { kind: 'started', container };
}

export type Built =
  | { ok: true; config: ContainerConfig; process: Process }
  | { ok: false; reason: 'CreateContainerConfigError' | 'CreateContainerError'; message: string };

/** The container's environment, argv, files and process, ready to create (or to resume after a restart). */
export function buildContainer(
  ctx: KubeletContext,
  pod: KubeObject,
  spec: any,
  image: PresentImage,
  podIP: string,
  mounts: () => Mount[],
): Built {
  const env = containerEnv(spec, {
    store: ctx.store,
    pod,
    podIP,
    hostIP: ctx.runtime.nodeIP,
    nodeAllocatable: ctx.nodeAllocatable(),
  });
  if (!env.ok) return { ok: false, reason: 'CreateContainerConfigError', message: env.message };
  const hostname = pod.spec?.hostname ?? pod.metadata.name!;
  const vars = new Map<string, string>([
    ...Object.entries(image.image.env),
    ['HOSTNAME', hostname],
    ...env.env,
  ]);
  const expand = (s: string) => expandVars(s, (n) => vars.get(n));
  const argv = containerArgv(image.image, spec.command?.map(expand), spec.args?.map(expand));
  const envRecord = Object.fromEntries(vars);
  const launched = launch(image.image, image.variant, argv, envRecord);
  if (!launched.ok) return { ok: false, reason: 'CreateContainerError', message: launched.message };
  const limit = spec.resources?.limits?.memory;
  // The closures below outlive this version of the pod: they keep only what they need.
  const namespace = pod.metadata.namespace!;
  const runtime = ctx.runtime;
  const podUid = runtimeUid(pod);
  const hostNetwork = !!pod.spec?.hostNetwork;
  const user = containerUser(pod, spec);
  return {
    ok: true,
    process: launched.process,
    config: {
      podUid: runtimeUid(pod),
      name: spec.name,
      attempt: 0,
      specImage: spec.image,
      image,
      argv,
      env: envRecord,
      makeFs: (containerId) =>
        buildContainerFs({
          runtime,
          podUid,
          namespace,
          containerName: spec.name,
          containerId,
          hostname,
          podIP,
          hostNetwork,
          image,
          volumeMounts: mounts(),
          now: () => runtime.now(),
          owner: { uid: user.uid, gid: user.gid },
        }),
      hostname,
      user,
      pid1: !pod.spec?.shareProcessNamespace,
      memoryLimit: limit !== undefined ? quantityValue(limit) : undefined,
      resolve: (n) => ctx.resolve(namespace, n),
    },
  };
}
