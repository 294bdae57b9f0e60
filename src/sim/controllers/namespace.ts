import type { InternalClient } from '../api/client.js';
import { finalizationDone } from '../api/handlers/commit.js';
import type { ApiServices } from '../api/services.js';
import { timestamp } from '../api/validation/objectmeta.js';
import type { Logger } from '../log.js';
import type { KubeObject } from '../store/types.js';
import { WorkQueue } from './queue.js';
import type { Controller } from './types.js';

/**
 * Namespace termination as upstream's namespace controller does it: a deleted namespace turns
 * Terminating, everything in it is deleted, its conditions say what remains, and once it is
 * empty the `kubernetes` finalizer is removed through `/finalize` and the namespace goes.
 */
export class NamespaceController implements Controller {
  readonly name = 'namespace-controller';
  private readonly queue: WorkQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly svc: ApiServices,
    private readonly client: InternalClient,
    log: Logger,
  ) {
    this.queue = new WorkQueue(this.name, (ns) => this.sync(ns), log);
  }

  start(): void {
    this.unsubscribe = this.svc.store.subscribe((e) => {
      if (e.resource === 'core/namespaces') {
        if (e.object.metadata.deletionTimestamp && e.type !== 'DELETED')
          this.queue.add(e.object.metadata.name!);
        return;
      }
      // Content leaving a terminating namespace may let it finish.
      const ns = e.object.metadata.namespace;
      if (ns && e.type !== 'ADDED' && this.terminating(ns)) this.queue.add(ns);
    });
    for (const ns of this.svc.store.list('core/namespaces')) {
      if (ns.metadata.deletionTimestamp) this.queue.add(ns.metadata.name!);
    }
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private terminating(ns: string): boolean {
    return !!this.svc.store.get('core/namespaces', undefined, ns)?.metadata.deletionTimestamp;
  }

  private async sync(name: string): Promise<void> {
    const namespaces = this.client.resource('', 'namespaces');
    const ns = namespaces.get(undefined, name);
    if (!ns?.metadata.deletionTimestamp) return;

    const remaining = new Map<string, number>();
    const finalizers = new Map<string, number>();
    const storages = new Set(
      this.svc.registry
        .all()
        .filter((t) => t.namespaced)
        .map((t) => t.storage),
    );
    for (const storage of storages) {
      const type = this.svc.registry.byStorage(storage)[0]!;
      const objs = this.svc.store.list(storage, name);
      for (const o of objs) {
        if (!o.metadata.deletionTimestamp) await this.client.forType(type).delete(name, o.metadata.name!);
      }
      const left = this.svc.store.list(storage, name);
      if (left.length > 0)
        remaining.set(type.group ? `${type.plural}.${type.group}` : type.plural, left.length);
      for (const o of left) {
        if (!finalizationDone(type, o)) {
          for (const f of o.metadata.finalizers ?? []) finalizers.set(f, (finalizers.get(f) ?? 0) + 1);
        }
      }
    }

    await this.writeConditions(ns, remaining, finalizers);
    if (remaining.size > 0) return; // Requeued when the remaining content changes.
    const latest = namespaces.get(undefined, name);
    if (!latest) return;
    const spec = {
      ...(latest.spec ?? {}),
      finalizers: (latest.spec?.finalizers ?? []).filter((f: string) => f !== 'kubernetes'),
    };
    await namespaces.update({ ...latest, spec }, 'finalize');
  }

  private async writeConditions(
    ns: KubeObject,
    remaining: Map<string, number>,
    finalizers: Map<string, number>,
  ): Promise<void> {
    const now = timestamp(this.svc.clock.now());
    const previous: any[] = ns.status?.conditions ?? [];
    const cond = (type: string, status: string, reason: string, message: string) => {
      const prev = previous.find((c) => c.type === type);
      const lastTransitionTime = prev && prev.status === status ? prev.lastTransitionTime : now;
      return { type, status, lastTransitionTime, reason, message };
    };
    const list = (m: Map<string, number>, what: string) =>
      [...m.entries()].map(([k, n]) => `${k} has ${n} ${what}`).join(', ');
    const conditions = [
      cond(
        'NamespaceDeletionDiscoveryFailure',
        'False',
        'ResourcesDiscovered',
        'All resources successfully discovered',
      ),
      cond(
        'NamespaceDeletionGroupVersionParsingFailure',
        'False',
        'ParsedGroupVersions',
        'All legacy kube types successfully parsed',
      ),
      cond(
        'NamespaceDeletionContentFailure',
        'False',
        'ContentDeleted',
        'All content successfully deleted, may be waiting on finalization',
      ),
      remaining.size > 0
        ? cond(
            'NamespaceContentRemaining',
            'True',
            'SomeResourcesRemain',
            `Some resources are remaining: ${list(remaining, 'resource instances')}`,
          )
        : cond('NamespaceContentRemaining', 'False', 'ContentRemoved', 'All content successfully removed'),
      finalizers.size > 0
        ? cond(
            'NamespaceFinalizersRemaining',
            'True',
            'SomeFinalizersRemain',
            `Some content in the namespace has finalizers remaining: ${[...finalizers.entries()].map(([f, n]) => `${f} in ${n} resource instances`).join(', ')}`,
          )
        : cond(
            'NamespaceFinalizersRemaining',
            'False',
            'ContentHasNoFinalizers',
            'All content-preserving finalizers finished',
          ),
    ];
    if (JSON.stringify(conditions) === JSON.stringify(previous)) return;
    await this.client
      .resource('', 'namespaces')
      .update({ ...ns, status: { ...ns.status, conditions } }, 'status');
  }
}
