import { isDeepStrictEqual } from 'node:util';
import type { InternalClient } from '../../api/client.js';
import { isHeadless } from '../../kinds/core/service-defaults.js';
import type { KubeObject } from '../../store/types.js';
import { fingerprint, PodContributions } from './memo.js';
import {
  findPort,
  formatTriggerTime,
  isPodReady,
  podIPv4s,
  shouldPodBeInEndpoints,
  shouldSetHostname,
  TriggerTimeTracker,
} from './pods.js';
import { type ServiceSelection, selectorOf } from './selection.js';
import { type AddressEntry, type EndpointAddress, repackSubsets } from './subsets.js';

/**
 * The Endpoints controller (deprecated API, still written in 1.33): one Endpoints object per
 * Service with a selector, named after it, listing ready pods under `addresses` and the
 * others under `notReadyAddresses`. Labels are the Service's plus
 * `endpoints.kubernetes.io/managed-by: endpoint-controller` (and the headless label).
 */

export const MANAGED_BY = 'endpoints.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpoint-controller';
export const TRIGGER_TIME = 'endpoints.kubernetes.io/last-change-trigger-time';
export const HEADLESS = 'service.kubernetes.io/headless';
/** Upstream keeps at most 1000 addresses and marks the object `over-capacity: truncated`. */
const MAX_CAPACITY = 1000;
const OVER_CAPACITY = 'endpoints.kubernetes.io/over-capacity';

function address(pod: KubeObject, ip: string, svc: KubeObject): EndpointAddress {
  const a: EndpointAddress = { ip };
  if (shouldSetHostname(pod, svc)) a.hostname = pod.spec.hostname;
  a.nodeName = pod.spec?.nodeName ?? '';
  a.targetRef = {
    kind: 'Pod',
    namespace: pod.metadata.namespace,
    name: pod.metadata.name,
    uid: pod.metadata.uid,
  };
  return a;
}

/** One pod's (address, port) pairs for a Service. */
function podEntries(svc: KubeObject, pod: KubeObject): AddressEntry[] {
  const publishNotReady = svc.spec?.publishNotReadyAddresses === true;
  if (!shouldPodBeInEndpoints(pod, publishNotReady)) return [];
  const ip = podIPv4s(pod)[0];
  if (!ip) return [];
  const ready = publishNotReady || isPodReady(pod);
  const addr = address(pod, ip, svc);
  const ports: any[] = svc.spec?.ports ?? [];
  if (ports.length === 0) return isHeadless(svc) ? [{ address: addr, ready }] : [];
  const out: AddressEntry[] = [];
  for (const sp of ports) {
    const port = findPort(pod, sp);
    if (port === undefined) continue;
    const ep: any = sp.name ? { name: sp.name } : {};
    ep.port = port;
    ep.protocol = sp.protocol ?? 'TCP';
    if (sp.appProtocol) ep.appProtocol = sp.appProtocol;
    out.push({ address: addr, ready, port: ep });
  }
  return out;
}

/** Ready addresses first, each subset cut in proportion (`truncateEndpoints`). */
function truncate(subsets: any[]): boolean {
  const ready = subsets.reduce((n, s) => n + (s.addresses?.length ?? 0), 0);
  const notReady = subsets.reduce((n, s) => n + (s.notReadyAddresses?.length ?? 0), 0);
  if (ready + notReady <= MAX_CAPACITY) return false;
  const truncateReady = ready > MAX_CAPACITY;
  const max = truncateReady ? MAX_CAPACITY : MAX_CAPACITY - ready;
  const total = truncateReady ? ready : notReady;
  let room = max;
  for (const s of subsets) {
    const list = truncateReady ? (s.addresses ?? []) : (s.notReadyAddresses ?? []);
    const take = Math.min(Math.ceil((list.length / total) * max), room);
    if (truncateReady) {
      s.addresses = list.slice(0, take);
      delete s.notReadyAddresses;
      room -= s.addresses.length;
    } else {
      s.notReadyAddresses = list.slice(0, take);
      room -= s.notReadyAddresses.length;
    }
  }
  return true;
}

export class EndpointsSync {
  private readonly triggers = new TriggerTimeTracker();
  private readonly entries = new PodContributions<AddressEntry[]>();

  constructor(
    private readonly client: InternalClient,
    private readonly selection: ServiceSelection,
  ) {}

  async sync(namespace: string, name: string): Promise<void> {
    const endpoints = this.client.resource('', 'endpoints');
    const svc = this.client.resource('', 'services').get(namespace, name);
    if (!svc) {
      this.triggers.forget(namespace, name);
      this.entries.forget(namespace, name);
      await endpoints.delete(namespace, name);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !selectorOf(svc)) return;
    const pods = this.selection.podsFor(svc);
    const trigger = this.triggers.compute(svc, pods);
    const subsets = repackSubsets(pods.flatMap((p) => this.entries.get(svc, p, () => podEntries(svc, p))));
    const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}), [MANAGED_BY]: CONTROLLER_NAME };
    if (isHeadless(svc)) labels[HEADLESS] = '';
    else delete labels[HEADLESS];

    const current = endpoints.get(namespace, name);
    const truncated = truncate(subsets);
    if (
      current &&
      fingerprint(current.subsets ?? []) === JSON.stringify(subsets) &&
      isDeepStrictEqual(current.metadata.labels ?? {}, labels) &&
      (current.metadata.annotations?.[OVER_CAPACITY] === 'truncated') === truncated
    ) {
      return;
    }
    const annotations: Record<string, string> = { ...(current?.metadata.annotations ?? {}) };
    if (trigger) annotations[TRIGGER_TIME] = formatTriggerTime(trigger);
    else delete annotations[TRIGGER_TIME];
    if (truncated) annotations[OVER_CAPACITY] = 'truncated';
    else delete annotations[OVER_CAPACITY];
    const next: KubeObject = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? { name, namespace }), labels, annotations },
    };
    if (subsets.length > 0) next.subsets = subsets;
    if (current) await endpoints.update(next);
    else await endpoints.create(next);
  }
}
