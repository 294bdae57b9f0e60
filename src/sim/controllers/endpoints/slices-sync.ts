import { isDeepStrictEqual } from 'node:util';
import type { InternalClient } from '../../api/client.js';
import { isHeadless } from '../../kinds/core/service-defaults.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import { ObjectIndex } from '../object-index.js';
import { HEADLESS, TRIGGER_TIME } from './endpoints-sync.js';
import { fingerprint, PodContributions } from './memo.js';
import { formatTriggerTime, TriggerTimeTracker } from './pods.js';
import { type ServiceSelection, selectorOf } from './selection.js';
import { desiredGroups, endpointKey, type PodEndpoint, podEndpoint, portsKey } from './slices-desired.js';

/**
 * The EndpointSlice controller: for each Service with a selector, slices named
 * `<service>-<5 chars>` holding at most 100 endpoints each, one set of slices per distinct
 * port mapping, updated in place as pods come, go and change readiness (existing endpoints
 * keep their slot, new ones fill the fullest slice with room). A Service with no endpoints
 * keeps one empty placeholder slice, as upstream.
 */

export const SERVICE_NAME = 'kubernetes.io/service-name';
export const SLICE_MANAGED_BY = 'endpointslice.kubernetes.io/managed-by';
export const SLICE_CONTROLLER = 'endpointslice-controller.k8s.io';
const MAX_ENDPOINTS = 100;

const sliceLabelKey = (o: KubeObject) =>
  o.metadata.labels?.[SLICE_MANAGED_BY] === SLICE_CONTROLLER && o.metadata.labels?.[SERVICE_NAME]
    ? [`${o.metadata.namespace}/${o.metadata.labels[SERVICE_NAME]}`]
    : [];

function desiredLabels(svc: KubeObject): Record<string, string> {
  const labels: Record<string, string> = { ...(svc.metadata.labels ?? {}) };
  delete labels[HEADLESS];
  if (isHeadless(svc)) labels[HEADLESS] = '';
  labels[SERVICE_NAME] = svc.metadata.name!;
  labels[SLICE_MANAGED_BY] = SLICE_CONTROLLER;
  return labels;
}

const ownedBy = (slice: KubeObject, svc: KubeObject) =>
  (slice.metadata.ownerReferences ?? []).some(
    (r) => r.uid === svc.metadata.uid && r.kind === 'Service' && r.apiVersion === 'v1',
  );

const portKeys = new WeakMap<KubeObject, string>();
/** The port grouping of a stored slice, computed once per slice version. */
function slicePortsKey(s: KubeObject): string {
  let k = portKeys.get(s);
  if (k === undefined) {
    k = portsKey(s.ports);
    portKeys.set(s, k);
  }
  return k;
}

const endpointKeys = new WeakMap<object, string>();
function storedEndpointKey(ep: any): string {
  let k = endpointKeys.get(ep);
  if (k === undefined) {
    k = endpointKey(ep);
    endpointKeys.set(ep, k);
  }
  return k;
}

const isPlaceholder = (s: KubeObject) => !(s.ports ?? []).length && !(s.endpoints ?? []).length;

interface Plan {
  create: KubeObject[];
  update: KubeObject[];
  unchanged: KubeObject[];
  remove: KubeObject[];
}

export class SliceSync {
  private readonly triggers = new TriggerTimeTracker();
  private readonly slices: ObjectIndex;
  private readonly shares = new PodContributions<PodEndpoint | undefined>();

  constructor(
    private readonly client: InternalClient,
    private readonly store: ObjectStore,
    private readonly selection: ServiceSelection,
  ) {
    this.slices = new ObjectIndex(store, 'discovery.k8s.io/endpointslices', { service: sliceLabelKey });
  }

  close(): void {
    this.slices.close();
  }

  /** Node existence and zones feed the endpoints: forget what was derived from them. */
  nodesChanged(): void {
    this.shares.clear();
  }

  /** Keys of Services whose managed slices exist (start-up resync finds orphans with it). */
  serviceKeys(): string[] {
    return this.slices.keys('service');
  }

  async sync(namespace: string, name: string): Promise<void> {
    const api = this.client.resource('discovery.k8s.io', 'endpointslices');
    const existing = this.slices.get('service', `${namespace}/${name}`);
    const svc = this.client.resource('', 'services').get(namespace, name);
    if (!svc) {
      this.triggers.forget(namespace, name);
      this.shares.forget(namespace, name);
      for (const s of existing) await api.delete(namespace, s.metadata.name!);
      return;
    }
    if (svc.spec?.type === 'ExternalName' || !selectorOf(svc)) return;
    const pods = this.selection.podsFor(svc);
    const trigger = this.triggers.compute(svc, pods);
    const plan = this.plan(svc, pods, existing);
    const stamp = (s: KubeObject) => {
      const annotations = { ...(s.metadata.annotations ?? {}) };
      if (trigger) annotations[TRIGGER_TIME] = formatTriggerTime(trigger);
      else delete annotations[TRIGGER_TIME];
      s.metadata.annotations = annotations;
      return s;
    };
    for (const s of plan.remove) await api.delete(namespace, s.metadata.name!);
    for (const s of plan.update) await api.update(stamp(s));
    for (const s of plan.create) await api.create(stamp(s));
  }

  private plan(svc: KubeObject, pods: KubeObject[], existing: KubeObject[]): Plan {
    const nodeOf = (name: string) => (name ? this.store.get('core/nodes', undefined, name) : undefined);
    const groups = desiredGroups(pods.map((p) => this.shares.get(svc, p, () => podEndpoint(svc, p, nodeOf))));
    const labels = desiredLabels(svc);
    const plan: Plan = { create: [], update: [], unchanged: [], remove: [] };
    for (const s of existing) {
      const g = groups.get(slicePortsKey(s));
      if (!ownedBy(s, svc) || s.addressType !== 'IPv4' || !g) {
        plan.remove.push(s);
        continue;
      }
      const kept: any[] = [];
      let changed = false;
      for (const ep of s.endpoints ?? []) {
        const k = storedEndpointKey(ep);
        const want = g.endpoints.get(k);
        if (!want) {
          changed = true;
          continue;
        }
        if (fingerprint(want) !== fingerprint(ep)) changed = true;
        kept.push(want);
        g.endpoints.delete(k);
      }
      if (kept.length === 0) plan.remove.push(s);
      else if (changed || !isDeepStrictEqual(s.metadata.labels ?? {}, labels))
        plan.update.push({ ...structuredClone(s), endpoints: kept, metadata: { ...s.metadata, labels } });
      else plan.unchanged.push(s);
    }
    for (const [key, g] of groups) {
      const rest = [...g.endpoints.values()];
      if (rest.length === 0) continue;
      const sameKey = (s: KubeObject) => slicePortsKey(s) === key;
      for (const s of plan.update.filter(sameKey))
        s.endpoints.push(...rest.splice(0, MAX_ENDPOINTS - s.endpoints.length));
      const roomy = plan.unchanged
        .filter((s) => sameKey(s) && s.endpoints.length < MAX_ENDPOINTS)
        .sort((a, b) => b.endpoints.length - a.endpoints.length);
      for (const s of roomy) {
        if (rest.length === 0) break;
        plan.unchanged.splice(plan.unchanged.indexOf(s), 1);
        const next = structuredClone(s);
        next.endpoints.push(...rest.splice(0, MAX_ENDPOINTS - next.endpoints.length));
        plan.update.push(next);
      }
      while (rest.length > 0)
        plan.create.push(this.newSlice(svc, labels, g.ports, rest.splice(0, MAX_ENDPOINTS)));
    }
    if (plan.create.length + plan.update.length + plan.unchanged.length === 0) {
      const keep = plan.remove.find((s) => ownedBy(s, svc) && s.addressType === 'IPv4' && isPlaceholder(s));
      if (!keep) plan.create.push(this.newSlice(svc, labels, null, []));
      else {
        plan.remove.splice(plan.remove.indexOf(keep), 1);
        if (!isDeepStrictEqual(keep.metadata.labels ?? {}, labels)) {
          plan.update.push({ ...structuredClone(keep), metadata: { ...keep.metadata, labels } });
        }
      }
    }
    return plan;
  }

  private newSlice(svc: KubeObject, labels: Record<string, string>, ports: any[] | null, endpoints: any[]) {
    return {
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: {
        // Service names are DNS labels, so `<name>-` is always a valid prefix.
        generateName: `${svc.metadata.name}-`,
        namespace: svc.metadata.namespace,
        labels,
        ownerReferences: [
          {
            apiVersion: 'v1',
            kind: 'Service',
            name: svc.metadata.name!,
            uid: svc.metadata.uid!,
            controller: true,
            blockOwnerDeletion: true,
          },
        ],
      },
      addressType: 'IPv4',
      endpoints: endpoints.length ? endpoints : null,
      ports,
    } as KubeObject;
  }
}
