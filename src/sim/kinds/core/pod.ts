import { isDeepStrictEqual } from 'node:util';
import { type FieldError, forbiddenField } from '../../api/errors.js';
import { age, ageColumn, col, humanDuration, nameColumn } from '../../api/table.js';
import { randomSuffix } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import { defaultPodSpec, qosClass, validatePodSpec } from '../common/podspec.js';
import { canonicalizeResourceList } from '../common/quantity.js';
import { defineKind } from '../define.js';

/**
 * The STATUS column of `kubectl get pods`, following upstream's printer: init progress
 * (`Init:0/1`), waiting and terminated reasons (`CrashLoopBackOff`, `OOMKilled`, `Error`),
 * `Completed`, `Terminating` and `NotReady`.
 */
export function podStatusReason(pod: KubeObject): string {
  const status = pod.status ?? {};
  let reason: string = status.reason || status.phase || 'Unknown';
  const spec = pod.spec ?? {};
  const initStatuses: any[] = status.initContainerStatuses ?? [];
  const initCount = (spec.initContainers ?? []).length;
  const sidecars = new Set(
    (spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always').map((c: any) => c.name),
  );

  if (spec.schedulingGates?.length && !spec.nodeName) reason = 'SchedulingGated';

  let initializing = false;
  for (const [i, cs] of initStatuses.entries()) {
    const term = cs.state?.terminated;
    const wait = cs.state?.waiting;
    if (term && term.exitCode === 0) continue;
    if (sidecars.has(cs.name) && cs.started) continue;
    if (term) {
      reason = term.reason
        ? `Init:${term.reason}`
        : term.signal
          ? `Init:Signal:${term.signal}`
          : `Init:ExitCode:${term.exitCode}`;
    } else if (wait?.reason && wait.reason !== 'PodInitializing') {
      reason = `Init:${wait.reason}`;
    } else {
      reason = `Init:${i}/${initCount}`;
    }
    initializing = true;
    break;
  }

  if (!initializing) {
    let hasRunning = false;
    const statuses: any[] = status.containerStatuses ?? [];
    for (let i = statuses.length - 1; i >= 0; i--) {
      const cs = statuses[i];
      const wait = cs.state?.waiting;
      const term = cs.state?.terminated;
      if (wait?.reason) reason = wait.reason;
      else if (term?.reason) reason = term.reason;
      else if (term) reason = term.signal ? `Signal:${term.signal}` : `ExitCode:${term.exitCode}`;
      else if (cs.ready && cs.state?.running) hasRunning = true;
    }
    if (reason === 'Completed' && hasRunning) {
      const ready = (status.conditions ?? []).some((c: any) => c.type === 'Ready' && c.status === 'True');
      reason = ready ? 'Running' : 'NotReady';
    }
  }
  if (pod.metadata.deletionTimestamp) reason = status.reason === 'NodeLost' ? 'Unknown' : 'Terminating';
  return reason;
}

function readyCell(pod: KubeObject): string {
  const spec = pod.spec ?? {};
  const sidecars = (spec.initContainers ?? []).filter((c: any) => c.restartPolicy === 'Always');
  const total = (spec.containers ?? []).length + sidecars.length;
  let ready = 0;
  for (const cs of pod.status?.containerStatuses ?? []) if (cs.ready) ready++;
  const sidecarNames = new Set(sidecars.map((c: any) => c.name));
  for (const cs of pod.status?.initContainerStatuses ?? [])
    if (sidecarNames.has(cs.name) && cs.ready) ready++;
  return `${ready}/${total}`;
}

function restartsCell(pod: KubeObject, now: number): string {
  let restarts = 0;
  let last: number | undefined;
  const all = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const cs of all) {
    restarts += cs.restartCount ?? 0;
    const finished = cs.lastState?.terminated?.finishedAt;
    if (cs.restartCount > 0 && finished) {
      const t = Date.parse(finished);
      if (last === undefined || t > last) last = t;
    }
  }
  return last !== undefined && restarts > 0
    ? `${restarts} (${humanDuration(now - last)} ago)`
    : String(restarts);
}

function readinessGatesCell(pod: KubeObject): string {
  const gates: any[] = pod.spec?.readinessGates ?? [];
  if (gates.length === 0) return '<none>';
  const conditions: any[] = pod.status?.conditions ?? [];
  const ok = gates.filter((g) =>
    conditions.some((c) => c.type === g.conditionType && c.status === 'True'),
  ).length;
  return `${ok}/${gates.length}`;
}

const MUTABLE_SPEC_NOTE =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

/** Pod specs are immutable apart from images, tolerations added and the active deadline. */
function validatePodUpdate(pod: KubeObject, old: KubeObject): FieldError[] {
  const strip = (spec: any) => {
    const s = structuredClone(spec ?? {});
    for (const c of s.containers ?? []) delete c.image;
    for (const c of s.initContainers ?? []) delete c.image;
    delete s.activeDeadlineSeconds;
    delete s.tolerations;
    // Set by the scheduler through the binding subresource.
    delete s.nodeName;
    return s;
  };
  if (isDeepStrictEqual(strip(pod.spec), strip(old.spec))) return [];
  return [forbiddenField('spec', MUTABLE_SPEC_NOTE)];
}

/** The projected service-account token volume the ServiceAccount admission plugin adds. */
function addServiceAccountVolume(pod: KubeObject): void {
  const spec = pod.spec;
  if (spec.automountServiceAccountToken === false) return;
  if ((spec.volumes ?? []).some((v: any) => v.name?.startsWith('kube-api-access-'))) return;
  const name = `kube-api-access-${randomSuffix()}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          {
            downwardAPI: {
              items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }],
            },
          },
        ],
      },
    },
  ];
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    c.volumeMounts = [
      ...(c.volumeMounts ?? []),
      { name, readOnly: true, mountPath: '/var/run/secrets/kubernetes.io/serviceaccount' },
    ];
  }
}

/** Requests default to limits for each container that sets only limits (pods, not templates). */
function defaultRequestsFromLimits(spec: any): void {
  for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    c.resources.requests ??= {};
    for (const [k, v] of Object.entries(limits)) c.resources.requests[k] ??= v;
    canonicalizeResourceList(c.resources.requests);
  }
}

export const pod = defineKind({
  group: '',
  version: 'v1',
  kind: 'Pod',
  plural: 'pods',
  shortNames: ['po'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1Pod',
  statusSubresource: true,
  subresources: [
    { name: 'attach', kind: 'PodAttachOptions', verbs: ['create', 'get'] },
    { name: 'binding', kind: 'Binding', verbs: ['create'] },
    { name: 'ephemeralcontainers', kind: 'Pod', verbs: ['get', 'patch', 'update'] },
    { name: 'eviction', kind: 'Eviction', group: 'policy', version: 'v1', verbs: ['create'] },
    { name: 'exec', kind: 'PodExecOptions', verbs: ['create', 'get'] },
    { name: 'log', kind: 'Pod', verbs: ['get'] },
    { name: 'portforward', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] },
    {
      name: 'proxy',
      kind: 'PodProxyOptions',
      verbs: ['create', 'delete', 'get', 'patch', 'update'],
    },
  ],
  fieldSelectors: {
    'spec.nodeName': (o) => o.spec?.nodeName ?? '',
    'spec.restartPolicy': (o) => o.spec?.restartPolicy,
    'spec.schedulerName': (o) => o.spec?.schedulerName,
    'spec.serviceAccountName': (o) => o.spec?.serviceAccountName,
    'spec.hostNetwork': (o) => String(o.spec?.hostNetwork ?? false),
    'status.phase': (o) => o.status?.phase,
    'status.podIP': (o) => o.status?.podIP ?? '',
    'status.nominatedNodeName': (o) => o.status?.nominatedNodeName ?? '',
  },
  table: {
    columns: [
      nameColumn(),
      col('Ready', 'string', '', 'The aggregate readiness state of this pod for accepting traffic.'),
      col('Status', 'string', '', 'The aggregate status of the containers in this pod.'),
      col(
        'Restarts',
        'string',
        '',
        'The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.',
      ),
      ageColumn(),
      col(
        'IP',
        'string',
        '',
        'IP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.',
        1,
      ),
      col(
        'Node',
        'string',
        '',
        'NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.',
        1,
      ),
      col(
        'Nominated Node',
        'string',
        '',
        'nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods.',
        1,
      ),
      col(
        'Readiness Gates',
        'string',
        '',
        'If specified, all readiness gates will be evaluated for pod readiness.',
        1,
      ),
    ],
    row: (o, now) => [
      o.metadata.name,
      readyCell(o),
      podStatusReason(o),
      restartsCell(o, now),
      age(o.metadata.creationTimestamp, now),
      o.status?.podIP || '<none>',
      o.spec?.nodeName || '<none>',
      o.status?.nominatedNodeName || '<none>',
      readinessGatesCell(o),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    defaultPodSpec(obj.spec);
    defaultRequestsFromLimits(obj.spec);
    obj.spec.enableServiceLinks ??= true;
    obj.spec.preemptionPolicy ??= 'PreemptLowerPriority';
    obj.spec.priority ??= 0;
  },
  validate(obj, old) {
    const errs = validatePodSpec(obj.spec, 'spec');
    if (old) errs.push(...validatePodUpdate(obj, old));
    return errs;
  },
  prepareCreate(obj) {
    const spec = obj.spec;
    // The ServiceAccount plugin leaves mirror pods (static pods the kubelet posts) alone.
    if (!obj.metadata.annotations?.['kubernetes.io/config.mirror']) {
      spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
      spec.serviceAccount = spec.serviceAccountName;
      addServiceAccountVolume(obj);
    }
    const tolerations: any[] = spec.tolerations ?? [];
    for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
      if (!tolerations.some((t) => t.key === key || (t.operator === 'Exists' && !t.key))) {
        tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
      }
    }
    spec.tolerations = tolerations;
    obj.status = { phase: 'Pending', qosClass: qosClass(spec) };
  },
  gracePeriod(obj, requested) {
    // A pod no kubelet has started can go at once; otherwise kubelet finishes the deletion.
    if (!obj.spec?.nodeName) return 0;
    if (obj.status?.phase === 'Succeeded' || obj.status?.phase === 'Failed') return 0;
    return requested ?? obj.spec?.terminationGracePeriodSeconds ?? 30;
  },
});
