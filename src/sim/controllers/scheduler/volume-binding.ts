import type { InternalClient } from '../../api/client.js';
import { compareQuantities } from '../../kinds/common/quantity.js';
import { storageClassOf } from '../../kinds/common/storage.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import { type Rejection, reject } from './framework.js';
import { matchesNodeSelector } from './node-selector.js';
import { selects } from './selector.js';

/**
 * The scheduler's side of volume binding (upstream's VolumeBinding plugin), the seam between
 * the scheduler and the storage controllers: the scheduler decides where a pod's claims can
 * be satisfied and records its decision in the objects; the PV controller and the
 * provisioner act on them.
 *
 * - PreFilter: every claim must exist and not be going away; an unbound claim whose class
 *   binds `Immediate` makes the pod unschedulable (`pod has unbound immediate
 *   PersistentVolumeClaims`) until the PV controller binds it.
 * - Filter: a bound claim's PV must accept the node (`node(s) had volume node affinity
 *   conflict`); a `WaitForFirstConsumer` claim needs an available PV that fits and accepts the
 *   node, or a class that can provision there (`node(s) didn't find available persistent
 *   volumes to bind`).
 * - PreBind: for a matching static PV the scheduler writes `pv.spec.claimRef`; for a claim to
 *   provision it annotates the claim `volume.kubernetes.io/selected-node: <node>`. The pod is
 *   bound to the node only once every claim is Bound (`allBound`).
 */

export const SELECTED_NODE_ANNOTATION = 'volume.kubernetes.io/selected-node';
export const BIND_COMPLETED_ANNOTATION = 'pv.kubernetes.io/bind-completed';
const NO_PROVISIONER = 'kubernetes.io/no-provisioner';
const PLUGIN = 'VolumeBinding';

interface Claim {
  name: string;
  pvc: KubeObject;
}

export interface PodClaims {
  bound: Claim[];
  /** Unbound claims of WaitForFirstConsumer classes: the scheduler picks their node. */
  delayed: Claim[];
}

/** What binding a pod's volumes to a node takes: PVs to claim and claims to provision. */
export interface VolumePlan {
  node: string;
  staticBindings: Array<{ pvc: KubeObject; pv: KubeObject }>;
  provision: KubeObject[];
}

/** What the scheduler asks of volume binding, per pod and per node. */
export interface VolumeBinder {
  podClaims(pod: KubeObject): PodClaims | Rejection;
  findPodVolumes(claims: PodClaims, node: KubeObject): VolumePlan | Rejection;
  bindPodVolumes(plan: VolumePlan): Promise<void>;
  /** Every claim of the pod is bound (the pod itself may be bound now); a string says why binding failed. */
  bindingState(pod: KubeObject): 'bound' | 'waiting' | string;
}

/** Names of the claims a pod uses (`persistentVolumeClaim` and generic ephemeral volumes). */
export function podClaimNames(pod: KubeObject): Array<{ name: string; ephemeral: boolean }> {
  const out: Array<{ name: string; ephemeral: boolean }> = [];
  for (const v of pod.spec?.volumes ?? []) {
    if (v?.persistentVolumeClaim?.claimName)
      out.push({ name: v.persistentVolumeClaim.claimName, ephemeral: false });
    else if (v?.ephemeral) out.push({ name: `${pod.metadata.name}-${v.name}`, ephemeral: true });
  }
  return out;
}

const isBound = (pvc: KubeObject) =>
  !!pvc.spec?.volumeName &&
  (pvc.metadata.annotations?.[BIND_COMPLETED_ANNOTATION] !== undefined || pvc.status?.phase === 'Bound');

export class StoreVolumeBinder implements VolumeBinder {
  constructor(
    private readonly store: ObjectStore,
    private readonly client: InternalClient,
  ) {}

  private pvc(ns: string, name: string) {
    return this.store.get('core/persistentvolumeclaims', ns, name);
  }

  private classOf(pvc: KubeObject): KubeObject | undefined {
    const name = storageClassOf(pvc);
    return name ? this.store.get('storage.k8s.io/storageclasses', undefined, name) : undefined;
  }

  podClaims(pod: KubeObject): PodClaims | Rejection {
    const ns = pod.metadata.namespace ?? '';
    const out: PodClaims = { bound: [], delayed: [] };
    let immediate = false;
    for (const { name, ephemeral } of podClaimNames(pod)) {
      const pvc = this.pvc(ns, name);
      const fail = (msg: string) => reject(PLUGIN, 'UnschedulableAndUnresolvable', msg);
      if (!pvc) return fail(`persistentvolumeclaim "${name}" not found`);
      if (ephemeral && !(pvc.metadata.ownerReferences ?? []).some((r) => r.uid === pod.metadata.uid))
        return fail(
          `PVC ${ns}/${name} was not created for pod ${ns}/${pod.metadata.name} (pod is not owner)`,
        );
      if (pvc.metadata.deletionTimestamp) return fail(`persistentvolumeclaim "${name}" is being deleted`);
      if (pvc.status?.phase === 'Lost')
        return fail(
          `persistentvolumeclaim "${name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName}"`,
        );
      if (isBound(pvc)) out.bound.push({ name, pvc });
      else if (this.classOf(pvc)?.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.spec?.volumeName)
        out.delayed.push({ name, pvc });
      else immediate = true;
    }
    if (immediate)
      return reject(
        PLUGIN,
        'UnschedulableAndUnresolvable',
        'pod has unbound immediate PersistentVolumeClaims',
      );
    return out;
  }

  findPodVolumes(claims: PodClaims, node: KubeObject): VolumePlan | Rejection {
    const reasons: string[] = [];
    let missingPV = false;
    let conflict = false;
    for (const { pvc } of claims.bound) {
      const pv = this.store.get('core/persistentvolumes', undefined, pvc.spec.volumeName);
      if (!pv) missingPV = true;
      else if (!this.pvAcceptsNode(pv, node)) conflict = true;
    }
    const plan: VolumePlan = { node: node.metadata.name!, staticBindings: [], provision: [] };
    let unsatisfied = false;
    const taken = new Set<string>();
    for (const { pvc } of claims.delayed) {
      const pv = this.findMatchingPV(pvc, node, taken);
      if (pv) {
        taken.add(pv.metadata.name!);
        plan.staticBindings.push({ pvc, pv });
      } else if (this.canProvision(pvc, node)) plan.provision.push(pvc);
      else unsatisfied = true;
    }
    if (unsatisfied) reasons.push("node(s) didn't find available persistent volumes to bind");
    if (conflict) reasons.push('node(s) had volume node affinity conflict');
    if (missingPV) reasons.push('node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)');
    return reasons.length > 0 ? reject(PLUGIN, 'UnschedulableAndUnresolvable', ...reasons) : plan;
  }

  private pvAcceptsNode(pv: KubeObject, node: KubeObject): boolean {
    const required = pv.spec?.nodeAffinity?.required;
    return !required || matchesNodeSelector(required, node);
  }

  /** The smallest Available PV of the claim's class that fits it and accepts the node. */
  private findMatchingPV(pvc: KubeObject, node: KubeObject, taken: Set<string>): KubeObject | undefined {
    const request = pvc.spec?.resources?.requests?.storage ?? '0';
    const modes: string[] = pvc.spec?.accessModes ?? [];
    let best: KubeObject | undefined;
    for (const pv of this.store.list('core/persistentvolumes')) {
      if (taken.has(pv.metadata.name!) || pv.metadata.deletionTimestamp) continue;
      const ref = pv.spec?.claimRef;
      const preboundHere = ref && ref.name === pvc.metadata.name && ref.namespace === pvc.metadata.namespace;
      if (ref && !preboundHere) continue;
      if (!preboundHere && pv.status?.phase && pv.status.phase !== 'Available') continue;
      if (storageClassOf(pv) !== storageClassOf(pvc)) continue;
      if ((pv.spec?.volumeMode ?? 'Filesystem') !== (pvc.spec?.volumeMode ?? 'Filesystem')) continue;
      const capacity = pv.spec?.capacity?.storage;
      if (!capacity || compareQuantities(capacity, request) < 0) continue;
      if (!modes.every((m) => (pv.spec?.accessModes ?? []).includes(m))) continue;
      if (pvc.spec?.selector && !selects(pvc.spec.selector, pv.metadata.labels)) continue;
      if (!this.pvAcceptsNode(pv, node)) continue;
      if (preboundHere) return pv;
      if (!best || compareQuantities(capacity, best.spec.capacity.storage) < 0) best = pv;
    }
    return best;
  }

  private canProvision(pvc: KubeObject, node: KubeObject): boolean {
    const sc = this.classOf(pvc);
    if (!sc?.provisioner || sc.provisioner === NO_PROVISIONER) return false;
    const topologies: any[] = sc.allowedTopologies ?? [];
    if (topologies.length === 0) return true;
    const labels = node.metadata.labels ?? {};
    return topologies.some((t) =>
      (t?.matchLabelExpressions ?? []).every((e: any) => (e?.values ?? []).includes(labels[e?.key])),
    );
  }

  async bindPodVolumes(plan: VolumePlan): Promise<void> {
    const pvs = this.client.resource('', 'persistentvolumes');
    const claims = this.client.resource('', 'persistentvolumeclaims');
    for (const { pvc, pv } of plan.staticBindings) {
      const current = pvs.get(undefined, pv.metadata.name!);
      if (!current || current.spec?.claimRef?.uid === pvc.metadata.uid) continue;
      await pvs.update({
        ...current,
        metadata: {
          ...current.metadata,
          annotations: {
            ...(current.metadata.annotations ?? {}),
            'pv.kubernetes.io/bound-by-controller': 'yes',
          },
        },
        spec: {
          ...current.spec,
          claimRef: {
            kind: 'PersistentVolumeClaim',
            namespace: pvc.metadata.namespace,
            name: pvc.metadata.name,
            uid: pvc.metadata.uid,
            apiVersion: 'v1',
            resourceVersion: pvc.metadata.resourceVersion,
          },
        },
      });
    }
    for (const pvc of plan.provision) {
      const current = claims.get(pvc.metadata.namespace, pvc.metadata.name!);
      if (!current || current.metadata.annotations?.[SELECTED_NODE_ANNOTATION] === plan.node) continue;
      await claims.update({
        ...current,
        metadata: {
          ...current.metadata,
          annotations: { ...(current.metadata.annotations ?? {}), [SELECTED_NODE_ANNOTATION]: plan.node },
        },
      });
    }
  }

  bindingState(pod: KubeObject): 'bound' | 'waiting' | string {
    const ns = pod.metadata.namespace ?? '';
    for (const { name } of podClaimNames(pod)) {
      const pvc = this.pvc(ns, name);
      if (!pvc) return `persistentvolumeclaim "${name}" not found`;
      if (isBound(pvc)) continue;
      const sc = this.classOf(pvc);
      // The provisioner drops the annotation when it gives up, asking for another node.
      if (sc?.volumeBindingMode === 'WaitForFirstConsumer' && !pvc.spec?.volumeName) {
        const pvs = this.store.list('core/persistentvolumes');
        const claimed = pvs.some((pv) => pv.spec?.claimRef?.uid === pvc.metadata.uid);
        if (!claimed && !pvc.metadata.annotations?.[SELECTED_NODE_ANNOTATION])
          return `provisioning failed for PVC "${name}"`;
      }
      return 'waiting';
    }
    return 'bound';
  }
}
