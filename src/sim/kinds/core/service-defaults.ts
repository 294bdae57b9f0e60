import type { KubeObject } from '../../store/types.js';

/**
 * What the API server fills in on a Service before validating it: the v1 defaults, the
 * allocated values a client may leave out on update (`patchAllocatedValues`), the
 * clusterIP/clusterIPs pair kept in step, the fields a type change makes meaningless, and
 * the IP families of a single-stack IPv4 cluster.
 */

export const CLUSTER_IP_NONE = 'None';

export const needsClusterIP = (svc: KubeObject) => svc.spec?.type !== 'ExternalName';

export const needsNodePort = (svc: KubeObject) =>
  svc.spec?.type === 'NodePort' ||
  (svc.spec?.type === 'LoadBalancer' && svc.spec?.allocateLoadBalancerNodePorts !== false);

export const needsHealthCheckNodePort = (svc: KubeObject) =>
  svc.spec?.type === 'LoadBalancer' && svc.spec?.externalTrafficPolicy === 'Local';

/** NodePort, LoadBalancer, or a ClusterIP Service with external IPs. */
export const externallyAccessible = (svc: KubeObject) =>
  svc.spec?.type === 'NodePort' ||
  svc.spec?.type === 'LoadBalancer' ||
  (svc.spec?.type === 'ClusterIP' && (svc.spec?.externalIPs ?? []).length > 0);

export const isHeadless = (svc: KubeObject) =>
  (svc.spec?.clusterIPs ?? []).length === 1 && svc.spec.clusterIPs[0] === CLUSTER_IP_NONE;

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const nodePorts = (svc: KubeObject) => (svc.spec?.ports ?? []).map((p: any) => p?.nodePort ?? 0);

/** `SetDefaults_Service`. */
function setV1Defaults(spec: any): void {
  spec.sessionAffinity ??= 'None';
  if (spec.sessionAffinity === 'None') delete spec.sessionAffinityConfig;
  if (spec.sessionAffinity === 'ClientIP' && spec.sessionAffinityConfig?.clientIP?.timeoutSeconds == null) {
    spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
  }
  spec.type ??= 'ClusterIP';
  for (const p of spec.ports ?? []) {
    if (!p || typeof p !== 'object') continue;
    p.protocol ??= 'TCP';
    if (p.targetPort === undefined || p.targetPort === null || p.targetPort === 0 || p.targetPort === '')
      p.targetPort = p.port;
  }
  if (externallyAccessible({ metadata: {}, spec }) && !spec.externalTrafficPolicy)
    spec.externalTrafficPolicy = 'Cluster';
  if (spec.internalTrafficPolicy == null && ['ClusterIP', 'NodePort', 'LoadBalancer'].includes(spec.type))
    spec.internalTrafficPolicy = 'Cluster';
  if (spec.type === 'LoadBalancer') spec.allocateLoadBalancerNodePorts ??= true;
}

/** Values the server allocated that the client left out of an update are kept. */
function patchAllocatedValues(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec;
  if (needsClusterIP(old) && needsClusterIP(svc)) {
    if (!spec.clusterIP) spec.clusterIP = old.spec.clusterIP;
    if (!spec.clusterIPs?.length && old.spec.clusterIPs?.length) spec.clusterIPs = [...old.spec.clusterIPs];
  }
  if (needsNodePort(old) && needsNodePort(svc)) {
    const newPorts = new Set(nodePorts(svc));
    const used = new Set(nodePorts(old).filter((p: number) => newPorts.has(p)));
    const byName = new Map<string, number>();
    for (const p of old.spec.ports ?? []) byName.set(p.name ?? '', p.nodePort ?? 0);
    for (const p of spec.ports ?? []) {
      if (p && !p.nodePort) {
        const oldValue = byName.get(p.name ?? '') ?? 0;
        if (oldValue && !used.has(oldValue)) p.nodePort = oldValue;
      }
    }
  }
  if (needsHealthCheckNodePort(old) && needsHealthCheckNodePort(svc)) {
    spec.healthCheckNodePort ||= old.spec.healthCheckNodePort;
  }
}

/** `normalizeClusterIPs`: keep the singular and plural fields in step, as old clients only send one. */
function normalizeClusterIPs(svc: KubeObject, old: KubeObject | undefined): void {
  const spec = svc.spec;
  if (!old) {
    if (spec.clusterIP && !spec.clusterIPs?.length) spec.clusterIPs = [spec.clusterIP];
    return;
  }
  const sameIPs = same(old.spec.clusterIPs, spec.clusterIPs);
  if (old.spec.clusterIPs?.length && !spec.clusterIPs?.length && old.spec.clusterIP === spec.clusterIP) {
    spec.clusterIPs = old.spec.clusterIPs;
  }
  if ((old.spec.clusterIP ?? '') !== (spec.clusterIP ?? '')) {
    if (old.spec.clusterIP && !spec.clusterIP) {
      if (sameIPs) delete spec.clusterIPs;
    } else if (sameIPs) {
      spec.clusterIPs = [spec.clusterIP];
    }
  }
}

/** `dropTypeDependentFields`: a type change clears what the old type had and the user kept. */
function dropTypeDependentFields(svc: KubeObject, old: KubeObject): void {
  const spec = svc.spec;
  if (needsClusterIP(old) && !needsClusterIP(svc)) {
    if (same(old.spec.clusterIPs, spec.clusterIPs)) {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    }
    if (same(old.spec.ipFamilies, spec.ipFamilies)) delete spec.ipFamilies;
    if (same(old.spec.ipFamilyPolicy, spec.ipFamilyPolicy)) delete spec.ipFamilyPolicy;
  }
  if (needsNodePort(old) && !needsNodePort(svc) && same(nodePorts(old), nodePorts(svc))) {
    for (const p of spec.ports ?? []) if (p) delete p.nodePort;
  }
  if (
    needsHealthCheckNodePort(old) &&
    !needsHealthCheckNodePort(svc) &&
    old.spec.healthCheckNodePort === spec.healthCheckNodePort
  ) {
    delete spec.healthCheckNodePort;
  }
  if (
    externallyAccessible(old) &&
    !externallyAccessible(svc) &&
    old.spec.externalTrafficPolicy === spec.externalTrafficPolicy
  ) {
    delete spec.externalTrafficPolicy;
  }
  if (
    old.spec.type === 'LoadBalancer' &&
    spec.type !== 'LoadBalancer' &&
    old.spec.allocateLoadBalancerNodePorts === spec.allocateLoadBalancerNodePorts
  ) {
    delete spec.allocateLoadBalancerNodePorts;
  }
  if (
    needsClusterIP(old) &&
    !needsClusterIP(svc) &&
    old.spec.internalTrafficPolicy === spec.internalTrafficPolicy
  ) {
    delete spec.internalTrafficPolicy;
  }
}

/**
 * IP families on a single-stack IPv4 cluster: headless Services without a selector ask for
 * both families (`RequireDualStack`), every other Service gets `SingleStack` IPv4.
 * ExternalName Services have none.
 */
function initIPFamilies(svc: KubeObject): void {
  const spec = svc.spec;
  if (!needsClusterIP(svc)) return;
  if (spec.clusterIP === CLUSTER_IP_NONE && !spec.clusterIPs?.length) spec.clusterIPs = [CLUSTER_IP_NONE];
  if (isHeadless(svc) && Object.keys(spec.selector ?? {}).length === 0) {
    if (spec.ipFamilyPolicy == null && !spec.ipFamilies?.length) spec.ipFamilyPolicy = 'RequireDualStack';
    if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
    if (spec.ipFamilies.length < 2 && spec.ipFamilyPolicy !== 'SingleStack') {
      spec.ipFamilies = [...spec.ipFamilies, spec.ipFamilies[0] === 'IPv4' ? 'IPv6' : 'IPv4'];
    }
    return;
  }
  spec.ipFamilyPolicy ??= 'SingleStack';
  if (!spec.ipFamilies?.length) spec.ipFamilies = ['IPv4'];
}

/** Everything defaulting does, in upstream's order; `old` is set for updates. */
export function defaultService(svc: KubeObject, old: KubeObject | undefined): void {
  svc.spec ??= {};
  setV1Defaults(svc.spec);
  if (old?.spec) {
    patchAllocatedValues(svc, old);
    dropTypeDependentFields(svc, old);
  }
  normalizeClusterIPs(svc, old?.spec ? old : undefined);
  initIPFamilies(svc);
}
