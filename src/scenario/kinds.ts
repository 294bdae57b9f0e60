/**
 * The built-in kinds of the API groups Kubernetes ships, so a typo in `kind:` or a kind under
 * the wrong `apiVersion:` is caught at load. Kinds of other groups (CRDs) are checked against
 * the cluster when the scenario runs. `true`: cluster-scoped.
 */
export const BUILTIN_KINDS: Record<string, Record<string, boolean>> = {
  v1: {
    Binding: false,
    ConfigMap: false,
    Endpoints: false,
    Event: false,
    LimitRange: false,
    Namespace: true,
    Node: true,
    PersistentVolume: true,
    PersistentVolumeClaim: false,
    Pod: false,
    PodTemplate: false,
    ReplicationController: false,
    ResourceQuota: false,
    Secret: false,
    Service: false,
    ServiceAccount: false,
  },
  'apps/v1': {
    ControllerRevision: false,
    DaemonSet: false,
    Deployment: false,
    ReplicaSet: false,
    StatefulSet: false,
  },
  'batch/v1': { CronJob: false, Job: false },
  'autoscaling/v1': { HorizontalPodAutoscaler: false },
  'autoscaling/v2': { HorizontalPodAutoscaler: false },
  'networking.k8s.io/v1': { Ingress: false, IngressClass: true, NetworkPolicy: false },
  'storage.k8s.io/v1': { CSIDriver: true, CSINode: true, StorageClass: true, VolumeAttachment: true },
  'rbac.authorization.k8s.io/v1': {
    ClusterRole: true,
    ClusterRoleBinding: true,
    Role: false,
    RoleBinding: false,
  },
  'policy/v1': { PodDisruptionBudget: false },
  'apiextensions.k8s.io/v1': { CustomResourceDefinition: true },
  'coordination.k8s.io/v1': { Lease: false },
  'discovery.k8s.io/v1': { EndpointSlice: false },
  'scheduling.k8s.io/v1': { PriorityClass: true },
  'events.k8s.io/v1': { Event: false },
  'node.k8s.io/v1': { RuntimeClass: true },
};

/** The built-in group/versions that have `kind`. */
export function groupsOf(kind: string): string[] {
  return Object.entries(BUILTIN_KINDS)
    .filter(([, kinds]) => Object.hasOwn(kinds, kind))
    .map(([gv]) => gv);
}

/** True/false for a built-in kind's scope; undefined for kinds the loader does not know (CRDs). */
export function isClusterScoped(apiVersion: string, kind: string): boolean | undefined {
  return BUILTIN_KINDS[apiVersion]?.[kind];
}
