/**
 * How upstream merges each list, map and struct of the built-in types, keyed by the
 * @kubernetes/client-node model name and JSON field name. Two sets of facts live here:
 *
 * - strategic merge patch: the `patchStrategy` / `patchMergeKey` struct tags of k8s.io/api
 *   (`x-kubernetes-patch-strategy` / `x-kubernetes-patch-merge-key` in OpenAPI);
 * - server-side apply: the `+listType` / `+listMapKey` / `+mapType` / `+structType` markers
 *   (`x-kubernetes-list-type`, `x-kubernetes-list-map-keys`, `x-kubernetes-map-type`), as the
 *   structured-merge-diff schema compiled into client-go's apply configurations states them.
 *
 * Provenance and gaps: docs/sim-patches.md. Lists not named here are atomic and replaced
 * whole by both patch kinds, as upstream treats lists without markers.
 */

export type ListType = 'atomic' | 'set' | 'map';

export interface ListFacts {
  /** `merge`, `merge,retainKeys`, or absent (the list is replaced). */
  patchStrategy?: string;
  patchMergeKey?: string;
  listType: ListType;
  /** Keys of a `map` list, in upstream's order. */
  listMapKeys?: string[];
}

const ATOMIC: ListFacts = { listType: 'atomic' };
/** A list of maps merged by `key` (SMP) and keyed by `mapKeys` (SSA, default: `key`). */
const byKey = (key: string, ...mapKeys: string[]): ListFacts => ({
  patchStrategy: 'merge',
  patchMergeKey: key,
  listType: 'map',
  listMapKeys: mapKeys.length > 0 ? mapKeys : [key],
});
/** Merged by key like `byKey`, but with fields absent from a patch item cleared. */
const byKeyRetain = (key: string): ListFacts => ({ ...byKey(key), patchStrategy: 'merge,retainKeys' });
/** A list of scalars merged as a set by both patch kinds. */
const SET_MERGE: ListFacts = { patchStrategy: 'merge', listType: 'set' };
/** A set for server-side apply, replaced whole by a strategic merge patch. */
const SET: ListFacts = { listType: 'set' };
/** Keyed for server-side apply, replaced whole by a strategic merge patch. */
const mapOnly = (...keys: string[]): ListFacts => ({ listType: 'map', listMapKeys: keys });
/** Merged by key in a strategic merge patch but atomic for server-side apply. */
const mergeAtomic = (key: string): ListFacts => ({
  patchStrategy: 'merge',
  patchMergeKey: key,
  listType: 'atomic',
});

const CONDITIONS = { conditions: byKey('type') };

const CONTAINER: Record<string, ListFacts> = {
  args: ATOMIC,
  command: ATOMIC,
  env: byKey('name'),
  envFrom: ATOMIC,
  ports: byKey('containerPort', 'containerPort', 'protocol'),
  resizePolicy: ATOMIC,
  volumeDevices: byKey('devicePath'),
  volumeMounts: byKey('mountPath'),
};

const LISTS: Record<string, Record<string, ListFacts>> = {
  // meta/v1
  V1ObjectMeta: { finalizers: SET_MERGE, managedFields: ATOMIC, ownerReferences: byKey('uid') },
  V1LabelSelector: { matchExpressions: ATOMIC },
  V1LabelSelectorRequirement: { values: ATOMIC },

  // core/v1: pods and their templates
  V1PodSpec: {
    containers: byKey('name'),
    ephemeralContainers: byKey('name'),
    hostAliases: byKey('ip'),
    imagePullSecrets: byKey('name'),
    initContainers: byKey('name'),
    readinessGates: ATOMIC,
    resourceClaims: byKeyRetain('name'),
    schedulingGates: byKey('name'),
    tolerations: ATOMIC,
    topologySpreadConstraints: byKey('topologyKey', 'topologyKey', 'whenUnsatisfiable'),
    volumes: byKeyRetain('name'),
  },
  V1Container: CONTAINER,
  V1EphemeralContainer: CONTAINER,
  V1ResourceRequirements: { claims: mapOnly('name') },
  V1Capabilities: { add: ATOMIC, drop: ATOMIC },
  V1PodSecurityContext: { supplementalGroups: ATOMIC, sysctls: ATOMIC },
  V1PodDNSConfig: { nameservers: ATOMIC, options: ATOMIC, searches: ATOMIC },
  V1HostAlias: { hostnames: ATOMIC },
  V1ExecAction: { command: ATOMIC },
  V1HTTPGetAction: { httpHeaders: ATOMIC },
  V1NodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: ATOMIC },
  V1NodeSelector: { nodeSelectorTerms: ATOMIC },
  V1NodeSelectorTerm: { matchExpressions: ATOMIC, matchFields: ATOMIC },
  V1NodeSelectorRequirement: { values: ATOMIC },
  V1PodAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: ATOMIC,
    requiredDuringSchedulingIgnoredDuringExecution: ATOMIC,
  },
  V1PodAntiAffinity: {
    preferredDuringSchedulingIgnoredDuringExecution: ATOMIC,
    requiredDuringSchedulingIgnoredDuringExecution: ATOMIC,
  },
  V1PodAffinityTerm: { matchLabelKeys: ATOMIC, mismatchLabelKeys: ATOMIC, namespaces: ATOMIC },
  V1TopologySpreadConstraint: { matchLabelKeys: ATOMIC },
  V1ConfigMapVolumeSource: { items: ATOMIC },
  V1SecretVolumeSource: { items: ATOMIC },
  V1ConfigMapProjection: { items: ATOMIC },
  V1SecretProjection: { items: ATOMIC },
  V1DownwardAPIVolumeSource: { items: ATOMIC },
  V1DownwardAPIProjection: { items: ATOMIC },
  V1ProjectedVolumeSource: { sources: ATOMIC },
  V1PodStatus: {
    ...CONDITIONS,
    containerStatuses: ATOMIC,
    ephemeralContainerStatuses: ATOMIC,
    hostIPs: mergeAtomic('ip'),
    initContainerStatuses: ATOMIC,
    podIPs: byKey('ip'),
    resourceClaimStatuses: byKeyRetain('name'),
  },
  V1ContainerStatus: { volumeMounts: byKey('mountPath') },

  // core/v1: everything else
  V1NodeSpec: { podCIDRs: SET_MERGE, taints: ATOMIC },
  V1NodeStatus: {
    addresses: byKey('type'),
    ...CONDITIONS,
    images: ATOMIC,
    runtimeHandlers: ATOMIC,
    volumesAttached: ATOMIC,
    volumesInUse: ATOMIC,
  },
  V1ContainerImage: { names: ATOMIC },
  V1NamespaceSpec: { finalizers: ATOMIC },
  V1NamespaceStatus: CONDITIONS,
  V1ServiceSpec: {
    clusterIPs: ATOMIC,
    externalIPs: ATOMIC,
    ipFamilies: ATOMIC,
    loadBalancerSourceRanges: ATOMIC,
    ports: byKey('port', 'port', 'protocol'),
  },
  V1ServiceStatus: CONDITIONS,
  V1LoadBalancerStatus: { ingress: ATOMIC },
  V1LoadBalancerIngress: { ports: ATOMIC },
  V1ServiceAccount: { imagePullSecrets: ATOMIC, secrets: byKey('name') },
  V1Endpoints: { subsets: ATOMIC },
  V1EndpointSubset: { addresses: ATOMIC, notReadyAddresses: ATOMIC, ports: ATOMIC },
  V1PersistentVolumeClaimSpec: { accessModes: ATOMIC },
  V1PersistentVolumeClaimStatus: { accessModes: ATOMIC, ...CONDITIONS },
  V1PersistentVolumeSpec: { accessModes: ATOMIC, mountOptions: ATOMIC },
  V1ReplicationControllerStatus: CONDITIONS,
  V1ComponentStatus: CONDITIONS,
  V1LimitRangeSpec: { limits: ATOMIC },
  V1ResourceQuotaSpec: { scopes: ATOMIC },
  V1ScopeSelector: { matchExpressions: ATOMIC },
  V1ScopedResourceSelectorRequirement: { values: ATOMIC },
  V1TopologySelectorTerm: { matchLabelExpressions: ATOMIC },
  V1TopologySelectorLabelRequirement: { values: ATOMIC },

  // apps/v1
  V1DeploymentStatus: CONDITIONS,
  V1ReplicaSetStatus: CONDITIONS,
  V1DaemonSetStatus: CONDITIONS,
  V1StatefulSetSpec: { volumeClaimTemplates: ATOMIC },
  V1StatefulSetStatus: CONDITIONS,

  // batch/v1
  V1JobStatus: { conditions: mergeAtomic('type') },
  V1PodFailurePolicy: { rules: ATOMIC },
  V1PodFailurePolicyRule: { onPodConditions: ATOMIC },
  V1PodFailurePolicyOnExitCodesRequirement: { values: SET },
  V1SuccessPolicy: { rules: ATOMIC },
  V1UncountedTerminatedPods: { failed: SET, succeeded: SET },
  V1CronJobStatus: { active: ATOMIC },

  // networking.k8s.io/v1
  V1IngressSpec: { rules: ATOMIC, tls: ATOMIC },
  V1IngressTLS: { hosts: ATOMIC },
  V1HTTPIngressRuleValue: { paths: ATOMIC },
  V1IngressLoadBalancerStatus: { ingress: ATOMIC },
  V1IngressLoadBalancerIngress: { ports: ATOMIC },
  V1NetworkPolicySpec: { egress: ATOMIC, ingress: ATOMIC, policyTypes: ATOMIC },
  V1NetworkPolicyIngressRule: { from: ATOMIC, ports: ATOMIC },
  V1NetworkPolicyEgressRule: { ports: ATOMIC, to: ATOMIC },
  V1IPBlock: { except: ATOMIC },

  // storage.k8s.io/v1
  V1StorageClass: { allowedTopologies: ATOMIC, mountOptions: ATOMIC },
  V1CSIDriverSpec: { tokenRequests: ATOMIC, volumeLifecycleModes: ATOMIC },
  V1CSINodeSpec: { drivers: byKey('name') },
  V1CSINodeDriver: { topologyKeys: ATOMIC },

  // discovery.k8s.io/v1
  V1EndpointSlice: { endpoints: ATOMIC, ports: ATOMIC },
  V1Endpoint: { addresses: SET },
  V1EndpointHints: { forZones: ATOMIC },

  // policy/v1
  V1PodDisruptionBudgetStatus: CONDITIONS,

  // autoscaling/v2
  V2HorizontalPodAutoscalerSpec: { metrics: ATOMIC },
  V2HorizontalPodAutoscalerStatus: { ...CONDITIONS, currentMetrics: ATOMIC },
  V2HPAScalingRules: { policies: ATOMIC },
};

/** Struct fields with a strategy of their own (Deployment strategies drop the other field). */
const STRUCT_STRATEGIES: Record<string, Record<string, string>> = {
  V1DeploymentSpec: { strategy: 'retainKeys' },
};

/** Maps owned as one value by server-side apply (`+mapType=atomic`). */
const ATOMIC_MAPS: Record<string, string[]> = {
  V1PodSpec: ['nodeSelector'],
  V1ServiceSpec: ['selector'],
  V1ReplicationControllerSpec: ['selector'],
};

/** Structs owned as one value by server-side apply (`+structType=atomic`). */
const ATOMIC_STRUCTS = new Set([
  'V1ConfigMapKeySelector',
  'V1EndpointAddress',
  'CoreV1EndpointPort',
  'DiscoveryV1EndpointPort',
  'V1LabelSelector',
  'V1LocalObjectReference',
  'V1NodeSelector',
  'V1NodeSelectorTerm',
  'V1ObjectFieldSelector',
  'V1ObjectReference',
  'V1OwnerReference',
  'V1ResourceFieldSelector',
  'V1ScopeSelector',
  'V1SecretKeySelector',
  'V1SecretReference',
  'V1TopologySelectorTerm',
  'V1TypedLocalObjectReference',
]);

/** Fields that override their struct's atomicity (a PersistentVolume's claimRef is granular). */
const GRANULAR_FIELDS: Record<string, string[]> = {
  V1PersistentVolumeSpec: ['claimRef'],
};

/** Defaults that let a map-list item omit a key field (a port's protocol is TCP). */
const KEY_DEFAULTS: Record<string, Record<string, unknown>> = {
  V1ContainerPort: { protocol: 'TCP' },
  V1ServicePort: { protocol: 'TCP' },
};

/**
 * Struct fields that are values, not pointers, in Go, so an empty object of the type already
 * holds them (`metadata`, `spec` and `status` of every kind are added to these).
 */
const VALUE_STRUCTS: Record<string, string[]> = {
  V1DeploymentSpec: ['strategy', 'template'],
  V1DaemonSetSpec: ['template', 'updateStrategy'],
  V1StatefulSetSpec: ['template', 'updateStrategy'],
  V1ReplicaSetSpec: ['template'],
  V1JobSpec: ['template'],
  V1JobTemplateSpec: ['metadata', 'spec'],
  V1CronJobSpec: ['jobTemplate'],
  V1PodTemplateSpec: ['metadata', 'spec'],
  V1PodTemplate: ['template'],
  V1PersistentVolumeClaimTemplate: ['metadata', 'spec'],
  V1Container: ['resources'],
  V1EphemeralContainer: ['resources'],
  V1ContainerStatus: ['lastState', 'state'],
  V1PersistentVolumeClaimSpec: ['resources'],
  V1NodeStatus: ['daemonEndpoints', 'nodeInfo'],
  V1NodeDaemonEndpoints: ['kubeletEndpoint'],
  V1ServiceStatus: ['loadBalancer'],
  V1IngressStatus: ['loadBalancer'],
  V1HTTPIngressPath: ['backend'],
  V1IngressServiceBackend: ['port'],
  V1NetworkPolicySpec: ['podSelector'],
  CoreV1Event: ['involvedObject', 'source'],
  EventsV1Event: ['deprecatedSource', 'regarding'],
  V1Endpoint: ['conditions'],
  V1HorizontalPodAutoscalerSpec: ['scaleTargetRef'],
  V2HorizontalPodAutoscalerSpec: ['scaleTargetRef'],
  V1PreferredSchedulingTerm: ['preference'],
  V1WeightedPodAffinityTerm: ['podAffinityTerm'],
};

/** Fields an empty Go object serializes as `null` (a zero metav1.Time is written as null). */
const NULL_WHEN_ZERO: Record<string, string[]> = {
  V1ObjectMeta: ['creationTimestamp'],
};

/** How `field` of `model` merges; lists nobody marked are atomic. */
export function listStrategy(model: string, field: string): ListFacts {
  return LISTS[model]?.[field] ?? ATOMIC;
}

/** The `x-kubernetes-patch-strategy` of any field (lists and structs), if it has one. */
export function patchStrategyOf(model: string, field: string): string | undefined {
  return LISTS[model]?.[field]?.patchStrategy ?? STRUCT_STRATEGIES[model]?.[field];
}

export function mapTypeOf(model: string, field: string): 'atomic' | 'granular' {
  return ATOMIC_MAPS[model]?.includes(field) ? 'atomic' : 'granular';
}

export function structTypeOf(model: string): 'atomic' | 'granular' {
  return ATOMIC_STRUCTS.has(model) ? 'atomic' : 'granular';
}

/** Whether a field forces its (otherwise atomic) struct type to merge field by field. */
export function isGranularField(model: string, field: string): boolean {
  return GRANULAR_FIELDS[model]?.includes(field) ?? false;
}

export function keyDefaultOf(model: string, field: string): unknown {
  return KEY_DEFAULTS[model]?.[field];
}

export function isNullWhenZero(model: string, field: string): boolean {
  return NULL_WHEN_ZERO[model]?.includes(field) ?? false;
}

export function isValueStruct(model: string, field: string): boolean {
  return VALUE_STRUCTS[model]?.includes(field) ?? false;
}

/** Every model and field the tables name, so tests can check them against the schema. */
export function factNames(): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const table of [LISTS, STRUCT_STRATEGIES, KEY_DEFAULTS]) {
    for (const [model, fields] of Object.entries(table)) {
      for (const f of Object.keys(fields)) out.push([model, f]);
    }
  }
  for (const table of [ATOMIC_MAPS, GRANULAR_FIELDS, VALUE_STRUCTS, NULL_WHEN_ZERO]) {
    for (const [model, fields] of Object.entries(table)) for (const f of fields) out.push([model, f]);
  }
  for (const model of ATOMIC_STRUCTS) out.push([model, '']);
  return out;
}
