import { customResourceDefinition } from './apiextensions/crd.js';
import { controllerRevision } from './apps/controllerrevision.js';
import { daemonSet } from './apps/daemonset.js';
import { deployment } from './apps/deployment.js';
import { replicaSet } from './apps/replicaset.js';
import { statefulSet } from './apps/statefulset.js';
import { selfSubjectReview, tokenReview } from './authentication/reviews.js';
import {
  localSubjectAccessReview,
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
} from './authorization/reviews.js';
import { horizontalPodAutoscaler } from './autoscaling/hpa.js';
import { horizontalPodAutoscalerV1 } from './autoscaling/hpa-v1.js';
import { cronJob } from './batch/cronjob.js';
import { job } from './batch/job.js';
import { lease } from './coordination/lease.js';
import { configMap } from './core/configmap.js';
import { endpoints } from './core/endpoints.js';
import { event } from './core/event.js';
import { eventsV1Event } from './core/event-v1.js';
import { limitRange } from './core/limitrange.js';
import { namespace } from './core/namespace.js';
import { node } from './core/node.js';
import { persistentVolume } from './core/persistentvolume.js';
import { persistentVolumeClaim } from './core/persistentvolumeclaim.js';
import { pod } from './core/pod.js';
import { podTemplate } from './core/podtemplate.js';
import { replicationController } from './core/replicationcontroller.js';
import { resourceQuota } from './core/resourcequota.js';
import { secret } from './core/secret.js';
import { service } from './core/service.js';
import { serviceAccount } from './core/serviceaccount.js';
import { endpointSlice } from './discovery/endpointslice.js';
import { ingress } from './networking/ingress.js';
import { ingressClass } from './networking/ingressclass.js';
import { networkPolicy } from './networking/networkpolicy.js';
import { podDisruptionBudget } from './policy/poddisruptionbudget.js';
import { clusterRoleBinding, roleBinding } from './rbac/bindings.js';
import { clusterRole, role } from './rbac/roles.js';
import type { Registry } from './registry.js';
import { priorityClass } from './scheduling/priorityclass.js';
import { csiStorageCapacity, volumeAttachment } from './storage/attachment.js';
import { csiDriver, csiNode } from './storage/csi.js';
import { storageClass } from './storage/storageclass.js';
import type { ResourceType } from './types.js';

/** Every built-in kind the sim serves. */
export const BUILTIN_KINDS: ResourceType[] = [namespace, node, pod, configMap, customResourceDefinition];

/** The rest of core/v1, and events.k8s.io/v1 (registered after core/v1 Events, which it shares a store with). */
const CORE_KINDS: ResourceType[] = [
  service,
  endpoints,
  secret,
  serviceAccount,
  event,
  eventsV1Event,
  persistentVolume,
  persistentVolumeClaim,
  resourceQuota,
  limitRange,
  replicationController,
  podTemplate,
];
BUILTIN_KINDS.push(...CORE_KINDS);

/** apps, batch, networking, storage, discovery, coordination, autoscaling and policy kinds. */
const GROUP_KINDS: ResourceType[] = [
  deployment,
  replicaSet,
  statefulSet,
  daemonSet,
  controllerRevision,
  job,
  cronJob,
  networkPolicy,
  ingress,
  ingressClass,
  storageClass,
  csiDriver,
  csiNode,
  csiStorageCapacity,
  volumeAttachment,
  endpointSlice,
  lease,
  // v2 first: the preferred version is the one the sim's controllers write through.
  horizontalPodAutoscaler,
  horizontalPodAutoscalerV1,
  podDisruptionBudget,
];
BUILTIN_KINDS.push(...GROUP_KINDS);

/** RBAC, priority classes, and the create-only review APIs (see api/handlers/virtual.ts). */
const ACCESS_KINDS: ResourceType[] = [
  role,
  roleBinding,
  clusterRole,
  clusterRoleBinding,
  priorityClass,
  selfSubjectAccessReview,
  selfSubjectRulesReview,
  subjectAccessReview,
  localSubjectAccessReview,
  selfSubjectReview,
  tokenReview,
];
BUILTIN_KINDS.push(...ACCESS_KINDS);

export function registerBuiltins(registry: Registry): void {
  for (const k of BUILTIN_KINDS) registry.register(k);
}
