import { isHeadless } from '../../kinds/core/service-defaults.js';
import type { KubeObject } from '../../store/types.js';
import { findPort, isPodReady, podIPv4s, shouldPodBeInEndpoints, shouldSetHostname } from './pods.js';

/**
 * What a Service's EndpointSlices should hold, grouped as upstream groups them: pods that
 * resolve the Service's ports to the same container ports share slices (a pod missing a
 * named port lands with the ports it does have).
 */

export interface EndpointGroup {
  /** The slice `ports` for this group (null when there are none, as a stored slice shows it). */
  ports: any[] | null;
  /** Endpoints by identity (addresses, pod, hostname), in pod order. */
  endpoints: Map<string, any>;
}

export const portsKey = (ports: any[] | null | undefined) =>
  JSON.stringify(
    (ports ?? [])
      .map((p) => [p?.name ?? '', p?.protocol ?? 'TCP', p?.port ?? null, p?.appProtocol ?? ''])
      .sort(),
  );

/** Identity of an endpoint across updates (upstream hashes addresses, hostname and pod). */
export const endpointKey = (ep: any) =>
  JSON.stringify([
    [...(ep?.addresses ?? [])].sort(),
    ep?.hostname ?? '',
    ep?.targetRef?.namespace ?? '',
    ep?.targetRef?.name ?? '',
  ]);

function endpointPorts(svc: KubeObject, pod: KubeObject): any[] {
  const out: any[] = [];
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0 && isHeadless(svc)) return out;
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: any = { name: sp.name ?? '', port, protocol: sp.protocol ?? 'TCP' };
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push(ep);
  }
  return out;
}

const ZONE = 'topology.kubernetes.io/zone';

function podToEndpoint(pod: KubeObject, svc: KubeObject, node: KubeObject | undefined) {
  const serving = isPodReady(pod);
  const terminating = !!pod.metadata.deletionTimestamp;
  const ready = svc.spec?.publishNotReadyAddresses === true || (serving && !terminating);
  const ep: any = { addresses: podIPv4s(pod), conditions: { ready, serving, terminating } };
  if (shouldSetHostname(pod, svc)) ep.hostname = pod.spec.hostname;
  ep.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  };
  if (pod.spec?.nodeName) ep.nodeName = pod.spec.nodeName;
  const zone = node?.metadata.labels?.[ZONE];
  if (zone) ep.zone = zone;
  return ep;
}

/** One pod's share of a Service's slices (undefined when the pod is left out). */
export interface PodEndpoint {
  ports: any[];
  portsKey: string;
  key: string;
  endpoint: any;
}

export function podEndpoint(
  svc: KubeObject,
  pod: KubeObject,
  nodeOf: (name: string) => KubeObject | undefined,
): PodEndpoint | undefined {
  if (!shouldPodBeInEndpoints(pod, true)) return undefined;
  const node = nodeOf(pod.spec?.nodeName ?? '');
  // A pod bound to a node that does not exist is left out until the pod GC removes it,
  // unless the Service asks for every address.
  if (!node && svc.spec?.publishNotReadyAddresses !== true) return undefined;
  const endpoint = podToEndpoint(pod, svc, node);
  if (endpoint.addresses.length === 0) return undefined;
  const ports = endpointPorts(svc, pod);
  return { ports, portsKey: portsKey(ports), key: endpointKey(endpoint), endpoint };
}

export function desiredGroups(shares: Array<PodEndpoint | undefined>): Map<string, EndpointGroup> {
  const groups = new Map<string, EndpointGroup>();
  for (const share of shares) {
    if (!share) continue;
    let g = groups.get(share.portsKey);
    if (!g) {
      g = { ports: share.ports.length ? share.ports : null, endpoints: new Map() };
      groups.set(share.portsKey, g);
    }
    g.endpoints.set(share.key, share.endpoint);
  }
  return groups;
}
