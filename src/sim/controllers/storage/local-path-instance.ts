import { createHash, randomUUID } from 'node:crypto';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject, StoreEvent } from '../../store/types.js';
import { kubeletRunningOn, kubeletSwitched } from '../nodes/kubelet-switch.js';
import { LOCAL_PATH_PROVISIONER, NAMESPACES, NODES, PODS } from './names.js';

const NAMESPACE = 'local-path-storage';
const POD_PREFIX = 'local-path-provisioner-';
/** The alphabet Kubernetes uses for generated name suffixes (no vowels, no look-alikes). */
const SAFE = 'bcdfghjklmnpqrstvwxz2456789';

function safeString(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let s = '';
  for (let i = 0; i < length; i++) s += SAFE[digest[i]! % SAFE.length];
  return s;
}

/**
 * The provisioner process runs in this pod: placed on a node whose kubelet runs, and not
 * finished or being deleted. (kind also waits the few seconds its container takes to start;
 * the sim counts it as running from the moment it is placed.)
 */
const isProvisionerPod = (pod: KubeObject) =>
  pod.metadata.namespace === NAMESPACE && !!pod.metadata.name?.startsWith(POD_PREFIX);

const runsIn = (store: ObjectStore, pod: KubeObject) =>
  !pod.metadata.deletionTimestamp &&
  !!pod.spec?.nodeName &&
  pod.status?.phase !== 'Succeeded' &&
  pod.status?.phase !== 'Failed' &&
  kubeletRunningOn(store, pod.spec.nodeName);

/**
 * The provisioner as it runs in the lab: kind's `local-path-provisioner` pod in
 * `local-path-storage`. Provisioning happens only while that pod runs, so a learner who
 * scales the Deployment to zero (or stops the kubelet of its node) sees claims stay Pending
 * with `ExternalProvisioning` events, as on kind. A lab without that namespace has no addon to
 * watch: the sim's provisioner then always runs.
 *
 * It signs its events as sig-storage-lib-external-provisioner does:
 * `rancher.io/local-path_<its pod>_<uuid made when it started>`.
 */
export class ProvisionerInstance {
  private uuid = randomUUID();
  private podUid: string | undefined;
  private readonly fallbackPod: string;
  /** The provisioner's pods by name, kept from the store's events (no listing per event). */
  private readonly pods = new Map<string, KubeObject>();

  constructor(
    private readonly store: ObjectStore,
    lab: string,
  ) {
    this.fallbackPod = `${POD_PREFIX}${safeString(`${lab}/rs`, 10)}-${safeString(`${lab}/pod`, 5)}`;
    for (const p of store.list(PODS, NAMESPACE)) if (isProvisionerPod(p)) this.pods.set(p.metadata.name!, p);
  }

  /**
   * Follow a store event; true when it may have started or stopped the provisioner (one of
   * its pods changed, its namespace came or went, a node's kubelet was switched).
   */
  observe(e: StoreEvent): boolean {
    if (e.resource === PODS) {
      if (!isProvisionerPod(e.object)) return false;
      if (e.type === 'DELETED') this.pods.delete(e.object.metadata.name!);
      else this.pods.set(e.object.metadata.name!, e.object);
      return true;
    }
    if (e.resource === NAMESPACES) return e.object.metadata.name === NAMESPACE;
    if (e.resource === NODES) return kubeletSwitched(e.old, e.object) !== undefined;
    return false;
  }

  private pod(): KubeObject | undefined {
    return [...this.pods.values()].find((p) => runsIn(this.store, p));
  }

  /** Whether the provisioner runs now. */
  get active(): boolean {
    if (!this.store.get(NAMESPACES, undefined, NAMESPACE)) return true;
    return !!this.pod();
  }

  component(): string {
    const pod = this.pod();
    // A new provisioner pod is a new process with a new identity.
    if (pod && pod.metadata.uid !== this.podUid) {
      if (this.podUid !== undefined) this.uuid = randomUUID();
      this.podUid = pod.metadata.uid;
    }
    return `${LOCAL_PATH_PROVISIONER}_${pod?.metadata.name ?? this.fallbackPod}_${this.uuid}`;
  }
}
