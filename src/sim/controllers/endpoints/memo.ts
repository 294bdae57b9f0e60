import type { KubeObject } from '../../store/types.js';

/**
 * Caches that keep a Service's resync proportional to what changed rather than to its pod
 * count: stored objects never change in place (a change is a new object), so what is
 * derived from one object version can be kept for as long as that version is current.
 */

const prints = new WeakMap<object, string>();

/** JSON of an object, computed once per object (cheap equality for endpoints and subsets). */
export function fingerprint(v: object): string {
  let s = prints.get(v);
  if (s === undefined) {
    s = JSON.stringify(v);
    prints.set(v, s);
  }
  return s;
}

/** What each pod contributes to one Service, valid while neither the pod nor the Service changes. */
export class PodContributions<T> {
  private readonly byService = new Map<string, { version: string; pods: WeakMap<KubeObject, T> }>();

  get(svc: KubeObject, pod: KubeObject, compute: () => T): T {
    const key = `${svc.metadata.namespace}/${svc.metadata.name}`;
    const version = `${svc.metadata.uid}/${svc.metadata.resourceVersion}`;
    let entry = this.byService.get(key);
    if (!entry || entry.version !== version) {
      entry = { version, pods: new WeakMap() };
      this.byService.set(key, entry);
    }
    let v = entry.pods.get(pod);
    if (v === undefined) {
      v = compute();
      entry.pods.set(pod, v);
    }
    return v;
  }

  forget(namespace: string, name: string): void {
    this.byService.delete(`${namespace}/${name}`);
  }

  clear(): void {
    this.byService.clear();
  }
}
