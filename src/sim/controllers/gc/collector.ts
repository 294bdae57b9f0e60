import { ApiError } from '../../api/errors.js';
import type { PropagationPolicy } from '../../api/handlers/delete.js';
import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject, OwnerReference, StoreEvent } from '../../store/types.js';
import type { ControllerContext } from '../index.js';
import { WorkQueue } from '../queue.js';
import type { Controller } from '../types.js';
import { type Identity, identityKey, OwnerGraph, parseIdentity } from './graph.js';

const ORPHAN = 'orphan';
const FOREGROUND = 'foregroundDeletion';
const SOURCE = { component: 'garbage-collector-controller' };
/** Writes show in managedFields under the binary that makes them upstream. */
const FIELD_MANAGER = 'kube-controller-manager';

const hasFinalizer = (o: KubeObject, f: string) => (o.metadata.finalizers ?? []).includes(f);
const isNotFound = (e: unknown) => e instanceof ApiError && e.code === 404;

type Resolved = { state: 'present'; owner: KubeObject } | { state: 'absent' } | { state: 'unresolvable' };

/**
 * Garbage collection by ownerReferences, as upstream's garbage collector does it:
 * - background: once none of an object's owners exists, the object is deleted;
 * - foreground: an owner carrying `foregroundDeletion` stays until the dependents that block
 *   its deletion (`blockOwnerDeletion`) are gone, then loses the finalizer;
 * - orphan: an owner carrying `orphan` has its references removed from every dependent,
 *   then loses the finalizer.
 * Owners are looked up by kind and name in the dependent's namespace and must have the
 * referenced uid; a namespaced owner named by a cluster-scoped dependent cannot be resolved.
 */
export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector-controller';
  private readonly queue: WorkQueue;
  private graph = new OwnerGraph();
  private readonly types = new Map<string, ResourceType | null>();
  private readonly reported = new Set<string>();
  private unsubscribe: (() => void) | undefined;
  private unwatchRegistry: (() => void) | undefined;

  constructor(private readonly ctx: ControllerContext) {
    this.queue = new WorkQueue(this.name, (key) => this.work(key), ctx.log);
  }

  private get store() {
    return this.ctx.services.store;
  }

  start(): void {
    this.graph = new OwnerGraph();
    const all: Array<[string, KubeObject]> = [];
    for (const storage of this.store.resources()) {
      for (const o of this.store.list(storage)) {
        this.graph.add(storage, o);
        all.push([storage, o]);
      }
    }
    this.unwatchRegistry = this.ctx.services.registry.onChange(() => this.types.clear());
    this.unsubscribe = this.store.subscribe((e) => this.observe(e));
    for (const [storage, o] of all) this.look(storage, o);
  }

  stop(): void {
    this.unsubscribe?.();
    this.unwatchRegistry?.();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private observe(e: StoreEvent): void {
    this.graph.apply(e);
    if (e.type === 'DELETED') {
      for (const dep of this.graph.dependentsOf(e.object.metadata.uid ?? '')) this.queue.add(`delete:${dep}`);
    } else {
      this.look(e.resource, e.object);
    }
    // A dependent leaving (or dropping its reference) may let a foreground deletion finish.
    const before = e.old?.metadata.ownerReferences ?? [];
    const after = e.type === 'DELETED' ? [] : (e.object.metadata.ownerReferences ?? []);
    for (const ref of before) {
      if (!after.some((r) => r.uid === ref.uid && r.blockOwnerDeletion)) this.ownerChanged(ref);
    }
  }

  /** Queue what an existing object needs: its own deletion handling, or a dangling check. */
  private look(storage: string, o: KubeObject): void {
    const key = identityKey({ storage, namespace: o.metadata.namespace, name: o.metadata.name! });
    if (o.metadata.deletionTimestamp && (hasFinalizer(o, ORPHAN) || hasFinalizer(o, FOREGROUND))) {
      this.queue.add(`owner:${key}`);
    }
    for (const ref of o.metadata.ownerReferences ?? []) {
      const owner = this.graph.find(ref.uid);
      if (!owner || (owner.namespace && owner.namespace !== o.metadata.namespace)) {
        this.queue.add(`delete:${key}`);
      } else {
        this.ownerChanged(ref);
      }
    }
  }

  private ownerChanged(ref: OwnerReference): void {
    const owner = this.graph.find(ref.uid);
    if (!owner) return;
    const obj = this.store.get(owner.storage, owner.namespace, owner.name);
    if (obj?.metadata.deletionTimestamp && hasFinalizer(obj, FOREGROUND)) {
      this.queue.add(`owner:${identityKey(owner)}`);
    }
  }

  private async work(key: string): Promise<void> {
    const i = key.indexOf(':');
    const id = parseIdentity(key.slice(i + 1));
    if (key.startsWith('delete:')) await this.attemptToDelete(id);
    else await this.processDeletingOwner(id);
  }

  private typeFor(apiVersion: string, kind: string): ResourceType | undefined {
    const k = `${apiVersion}/${kind}`;
    if (!this.types.has(k)) {
      const slash = apiVersion.indexOf('/');
      const group = slash === -1 ? '' : apiVersion.slice(0, slash);
      this.types.set(k, this.ctx.services.registry.byKind(group, kind) ?? null);
    }
    return this.types.get(k) ?? undefined;
  }

  private typeOf(id: Identity): ResourceType | undefined {
    return this.ctx.services.registry.byStorage(id.storage)[0];
  }

  private client(id: Identity) {
    const type = this.typeOf(id);
    return type ? this.ctx.client(FIELD_MANAGER).forType(type) : undefined;
  }

  private resolve(dependent: KubeObject, ref: OwnerReference): Resolved {
    const type = this.typeFor(ref.apiVersion, ref.kind);
    if (!type) return { state: 'unresolvable' };
    if (type.namespaced && !dependent.metadata.namespace) {
      this.reportInvalidNamespace(dependent, ref);
      return { state: 'unresolvable' };
    }
    const ns = type.namespaced ? dependent.metadata.namespace : undefined;
    const owner = this.store.get(type.storage, ns, ref.name);
    if (owner && owner.metadata.uid === ref.uid) return { state: 'present', owner };
    const elsewhere = this.graph.find(ref.uid);
    if (elsewhere?.namespace && elsewhere.namespace !== dependent.metadata.namespace) {
      this.reportInvalidNamespace(dependent, ref);
    }
    return { state: 'absent' };
  }

  private reportInvalidNamespace(dependent: KubeObject, ref: OwnerReference): void {
    const key = `${dependent.metadata.uid}/${ref.uid}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    const ns = dependent.metadata.namespace ?? '';
    void this.ctx.events.record(
      dependent,
      SOURCE,
      'Warning',
      'OwnerRefInvalidNamespace',
      `ownerRef [${ref.apiVersion}/${ref.kind}, namespace: ${ns}, name: ${ref.name}, uid: ${ref.uid}] does not exist in namespace "${ns}"`,
    );
  }

  /** `attemptToDeleteItem`: delete an object none of whose owners exist any more. */
  private async attemptToDelete(id: Identity): Promise<void> {
    const dep = this.store.get(id.storage, id.namespace, id.name);
    if (!dep) return;
    if (dep.metadata.deletionTimestamp) {
      if (hasFinalizer(dep, FOREGROUND)) this.queue.add(`owner:${identityKey(id)}`);
      return;
    }
    const refs = dep.metadata.ownerReferences ?? [];
    if (refs.length === 0) return;
    const solid: OwnerReference[] = [];
    const dropped = new Set<string>();
    let waiting = false;
    for (const ref of refs) {
      const r = this.resolve(dep, ref);
      if (r.state === 'absent') dropped.add(ref.uid);
      else if (r.state === 'unresolvable') solid.push(ref);
      else if (r.owner.metadata.deletionTimestamp && hasFinalizer(r.owner, FOREGROUND)) {
        waiting = true;
        dropped.add(ref.uid);
      } else solid.push(ref);
    }
    const client = this.client(id);
    if (!client) return;
    if (solid.length > 0) {
      if (dropped.size === 0) return;
      // Other owners remain: only the references to gone or going owners are removed.
      const ownerReferences = refs.filter((r) => !dropped.has(r.uid));
      await this.ignoreNotFound(client.update({ ...dep, metadata: { ...dep.metadata, ownerReferences } }));
      return;
    }
    let policy: PropagationPolicy = 'Background';
    if (waiting && this.graph.dependentCount(dep.metadata.uid ?? '') > 0) policy = 'Foreground';
    else if (hasFinalizer(dep, ORPHAN)) policy = 'Orphan';
    else if (hasFinalizer(dep, FOREGROUND)) policy = 'Foreground';
    await this.ignoreNotFound(
      client.delete(dep.metadata.namespace, dep.metadata.name!, {
        propagationPolicy: policy,
        preconditions: { uid: dep.metadata.uid },
      }),
    );
  }

  /** An owner being deleted with `orphan` or `foregroundDeletion`. */
  private async processDeletingOwner(id: Identity): Promise<void> {
    const owner = this.store.get(id.storage, id.namespace, id.name);
    if (!owner?.metadata.deletionTimestamp) return;
    const uid = owner.metadata.uid ?? '';
    if (hasFinalizer(owner, ORPHAN)) {
      for (const depKey of this.graph.dependentsOf(uid)) {
        const depId = parseIdentity(depKey);
        const dep = this.store.get(depId.storage, depId.namespace, depId.name);
        const client = this.client(depId);
        if (!dep || !client) continue;
        const ownerReferences = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        const metadata: KubeObject['metadata'] = { ...dep.metadata, ownerReferences };
        if (ownerReferences.length === 0) delete metadata.ownerReferences;
        await this.ignoreNotFound(client.update({ ...dep, metadata }));
      }
      await this.removeFinalizer(id, ORPHAN);
      return;
    }
    if (!hasFinalizer(owner, FOREGROUND)) return;
    let blocking = 0;
    for (const depKey of this.graph.dependentsOf(uid)) {
      const depId = parseIdentity(depKey);
      const dep = this.store.get(depId.storage, depId.namespace, depId.name);
      if (!dep) continue;
      const ref = (dep.metadata.ownerReferences ?? []).find((r) => r.uid === uid);
      if (!ref?.blockOwnerDeletion) continue;
      blocking++;
      if (!dep.metadata.deletionTimestamp) this.queue.add(`delete:${depKey}`);
    }
    if (blocking === 0) await this.removeFinalizer(id, FOREGROUND);
  }

  private async removeFinalizer(id: Identity, finalizer: string): Promise<void> {
    const latest = this.store.get(id.storage, id.namespace, id.name);
    const client = this.client(id);
    if (!latest || !client || !hasFinalizer(latest, finalizer)) return;
    const finalizers = (latest.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    await this.ignoreNotFound(client.update({ ...latest, metadata: { ...latest.metadata, finalizers } }));
  }

  private async ignoreNotFound(p: Promise<unknown>): Promise<void> {
    try {
      await p;
    } catch (e) {
      if (!isNotFound(e)) throw e;
    }
  }
}
