import type { ResourceClient } from '../../api/client.js';
import type { Logger } from '../../log.js';
import type { NodeRuntime } from '../../node/runtime.js';
import type { ObjectStore } from '../../store/store.js';
import type { KubeObject } from '../../store/types.js';
import type { EventType } from '../events.js';
import type { Backoff } from './backoff.js';
import type { ImageManager } from './images.js';

/** What a pod worker needs from its node's kubelet. */
export interface KubeletContext {
  readonly nodeName: string;
  readonly runtime: NodeRuntime;
  readonly images: ImageManager;
  /** Restart back-off of crashing containers (`10s` doubling to `5m`). */
  readonly crashBackoff: Backoff;
  readonly store: ObjectStore;
  readonly pods: ResourceClient;
  readonly log: Logger;
  now(): number;
  setTimeout(fn: () => void, ms: number): { id: number };
  clearTimeout(handle: { id: number } | undefined): void;
  /** Record an event about the pod (tracked, so the kubelet is not idle until it is written). */
  event(pod: KubeObject, type: EventType, reason: string, message: string, fieldPath?: string): void;
  /** Sync this pod again, now. */
  wake(key: string): void;
  nodeAllocatable(): Record<string, string>;
  /** The pod's DNS: Service names to cluster IPs, as CoreDNS with the pod's search path would answer. */
  resolve(namespace: string, name: string): string | undefined;
}

/** Marks a mirror pod: the API's copy of a static pod the kubelet runs from a manifest. */
export const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/**
 * Who the pod is to the container runtime: its uid, except for a static pod, whose mirror can
 * be deleted and posted again (a new uid) while its containers keep running.
 */
export function runtimeUid(pod: KubeObject): string {
  const mirror = pod.metadata.annotations?.[MIRROR_ANNOTATION];
  return mirror ? `static-${mirror}` : pod.metadata.uid!;
}
