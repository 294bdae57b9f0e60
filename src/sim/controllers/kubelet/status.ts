import { timestamp } from '../../api/validation/objectmeta.js';
import { qosClass } from '../../kinds/common/podspec.js';
import type { RuntimeContainer } from '../../node/container.js';
import { qualifiedName } from '../../node/images/reference.js';
import type { KubeObject } from '../../store/types.js';
import {
  type Condition,
  containersReadyCondition,
  initializedCondition,
  isSidecar,
  podPhase,
  readyCondition,
} from './phase.js';
import type { ContainerProbes } from './probe-state.js';

/**
 * The pod status kubelet writes (`generateAPIPodStatus` + the status manager): container
 * statuses from the runtime and the reasons of failed starts, the phase, kubelet's five
 * conditions with their transition times, IPs and start time. Conditions kubelet does not own
 * (readiness gates, DisruptionTarget) are kept as they are.
 */

export interface ContainerView {
  spec: any;
  init: boolean;
  latest?: RuntimeContainer;
  /** The exited instance before `latest` (what `lastState` shows). */
  previous?: RuntimeContainer;
  /** Why the last start failed (kubelet's reason cache), shown as a waiting state. */
  waiting?: { reason: string; message?: string };
  ready: boolean;
  started: boolean;
}

export interface StatusInput {
  pod: KubeObject;
  views: ContainerView[];
  hostIP: string;
  podIP?: string;
  sandboxReady: boolean;
  podIsTerminal: boolean;
  startTime: number;
  now: number;
  /** `DeadlineExceeded` and its message, when the pod ran past activeDeadlineSeconds. */
  failure?: { reason: string; message: string };
}

const KUBELET_CONDITIONS = [
  'PodReadyToStartContainers',
  'Initialized',
  'Ready',
  'ContainersReady',
  'PodScheduled',
];
const ts = (ms: number | undefined) => (ms === undefined ? undefined : timestamp(new Date(ms)));

function terminated(c: RuntimeContainer): any {
  const t: any = {
    exitCode: c.exitCode,
    reason: c.reason,
    startedAt: ts(c.startedAt),
    finishedAt: ts(c.finishedAt),
    containerID: `cri-o://${c.id}`,
  };
  if (!t.reason) delete t.reason;
  return { terminated: t };
}

function containerStatus(v: ContainerView, defaultWaiting: string): any {
  const spec = v.spec;
  const c = v.latest;
  const s: any = {
    name: spec.name,
    state: { waiting: { reason: defaultWaiting } },
    lastState: {},
    ready: v.ready,
    restartCount: c?.config.attempt ?? 0,
    // CRI-O reports the image by its resolved name (`docker.io/library/nginx:1.27`).
    image: c ? qualifiedName(c.config.image.ref) : spec.image,
    imageID: c ? c.config.image.imageRef : '',
    started: v.started,
  };
  if (c) {
    s.containerID = `cri-o://${c.id}`;
    if (c.state === 'running') s.state = { running: { startedAt: ts(c.startedAt) } };
    else if (c.state === 'exited') s.state = terminated(c);
    if (v.previous) s.lastState = terminated(v.previous);
  }
  if (v.waiting && c?.state !== 'running') {
    if (s.state.terminated) s.lastState = s.state;
    s.state = {
      waiting: v.waiting.message
        ? { reason: v.waiting.reason, message: v.waiting.message }
        : { reason: v.waiting.reason },
    };
  }
  if (c?.state === 'running') {
    const res = spec.resources ?? {};
    if (Object.keys(res.limits ?? {}).length || Object.keys(res.requests ?? {}).length) {
      s.resources = {};
      if (res.limits && Object.keys(res.limits).length) s.resources.limits = { ...res.limits };
      if (res.requests && Object.keys(res.requests).length) s.resources.requests = { ...res.requests };
    }
  }
  const mounts: any[] = spec.volumeMounts ?? [];
  if (mounts.length) {
    s.volumeMounts = mounts.map((m) => {
      const out: any = { name: m.name, mountPath: m.mountPath };
      if (m.readOnly) {
        out.readOnly = true;
        out.recursiveReadOnly = m.recursiveReadOnly === 'Enabled' ? 'Enabled' : 'Disabled';
      }
      return out;
    });
  }
  return s;
}

export function generateStatus(input: StatusInput): any {
  const { pod, views, now } = input;
  const spec = pod.spec;
  const old = pod.status ?? {};
  const hasInit = (spec.initContainers ?? []).length > 0;
  const defaultWaiting = hasInit ? 'PodInitializing' : 'ContainerCreating';
  const initStatuses = views.filter((v) => v.init).map((v) => containerStatus(v, 'PodInitializing'));
  const statuses = views.filter((v) => !v.init).map((v) => containerStatus(v, defaultWaiting));
  const anyRegularStarted = statuses.some((s) => s.state.running || s.state.terminated);
  const podHasInitialized =
    anyRegularStarted ||
    (old.conditions ?? []).some((c: any) => c.type === 'Initialized' && c.status === 'True');
  let phase = podPhase(spec, initStatuses, statuses, input.podIsTerminal, podHasInitialized);
  if (input.failure) phase = 'Failed';
  const all = [...initStatuses, ...statuses];
  const conditions: Condition[] = [
    { type: 'PodReadyToStartContainers', status: input.sandboxReady ? 'True' : 'False' },
  ];
  conditions.push(initializedCondition(spec, all, phase, anyRegularStarted));
  const foreign = (old.conditions ?? []).filter((c: any) => !KUBELET_CONDITIONS.includes(c.type));
  conditions.push(readyCondition(spec, foreign, all, phase), containersReadyCondition(spec, all, phase));
  const scheduled = (old.conditions ?? []).find((c: any) => c.type === 'PodScheduled');
  conditions.push({ type: 'PodScheduled', status: 'True' });
  const stamp = (c: Condition) => {
    const prev = (old.conditions ?? []).find((x: any) => x.type === c.type);
    const keep = prev && prev.status === c.status;
    const out: any = {
      type: c.type,
      status: c.status,
      lastProbeTime: null,
      lastTransitionTime: keep ? prev.lastTransitionTime : ts(now),
    };
    if (c.reason) out.reason = c.reason;
    if (c.message) out.message = c.message;
    return out;
  };
  const stamped = conditions.map((c) =>
    c.type === 'PodScheduled' && scheduled?.status === 'True' ? scheduled : stamp(c),
  );
  const status: any = {
    ...old,
    phase,
    conditions: [...foreign, ...stamped],
    hostIP: input.hostIP,
    hostIPs: [{ ip: input.hostIP }],
    startTime: old.startTime ?? ts(input.startTime),
    qosClass: qosClass(spec),
    containerStatuses: statuses,
  };
  const podIP = input.podIP ?? old.podIP;
  if (podIP) {
    status.podIP = podIP;
    status.podIPs = [{ ip: podIP }];
  }
  if (hasInit) status.initContainerStatuses = initStatuses;
  else delete status.initContainerStatuses;
  if (input.failure) {
    status.reason = input.failure.reason;
    status.message = input.failure.message;
  }
  return status;
}

/** What kubelet knows of each of the pod's containers: its instances, probes and start failures. */
export function containerViews(
  pod: KubeObject,
  instances: RuntimeContainer[],
  probes: ContainerProbes,
  reasons: Map<string, { reason: string; message?: string }>,
): ContainerView[] {
  const view = (spec: any, init: boolean): ContainerView => {
    const mine = instances.filter((c) => c.name === spec.name);
    const latest = mine[mine.length - 1];
    const previous = [...mine.slice(0, -1)].reverse().find((c) => c.state === 'exited');
    const running = latest?.state === 'running';
    const started = running && probes.started(latest!.id);
    let ready = running && started && probes.ready(latest!.id);
    if (init && !isSidecar(spec)) ready = latest?.state === 'exited' && latest.exitCode === 0;
    return { spec, init, latest, previous, waiting: reasons.get(spec.name), ready, started };
  };
  return [
    ...(pod.spec.initContainers ?? []).map((c: any) => view(c, true)),
    ...(pod.spec.containers ?? []).map((c: any) => view(c, false)),
  ];
}
