import { isDeepStrictEqual } from 'node:util';
import type { InternalClient } from '../api/client.js';
import type { ApiServices } from '../api/services.js';
import {
  CLEANUP_FINALIZER,
  CRD_STORAGE,
  type CrdCondition,
  type CrdNames,
  findCondition,
  isConditionTrue,
  servedVersions,
  withCondition,
} from '../kinds/apiextensions/helpers.js';
import { customResourceType } from '../kinds/custom.js';
import type { ResourceType } from '../kinds/types.js';
import type { Logger } from '../log.js';
import type { KubeObject } from '../store/types.js';
import { WorkQueue } from './queue.js';
import type { Controller } from './types.js';

/**
 * What upstream's apiextensions controllers do, in one place: accept a CRD's names when nothing
 * else in its group uses them (NamesAccepted), establish it, serve one resource type per served
 * version, and on deletion remove every custom resource before letting the CRD go.
 */
export class CrdController implements Controller {
  readonly name = 'crd-controller';
  private readonly queue: WorkQueue;
  private unsubscribe: (() => void) | undefined;
  /** Types registered per CRD name, with the fingerprint they were built from. */
  private readonly served = new Map<string, { types: ResourceType[]; fingerprint: string }>();

  constructor(
    private readonly svc: ApiServices,
    private readonly client: InternalClient,
    private readonly log: Logger,
  ) {
    this.queue = new WorkQueue(this.name, (name) => this.sync(name), log);
  }

  start(): void {
    // A restarted sim must serve every established CRD before its first request.
    for (const crd of this.svc.store.list(CRD_STORAGE)) this.serve(crd);
    this.unsubscribe = this.svc.store.subscribe((e) => {
      if (e.resource === CRD_STORAGE) {
        this.queue.add(e.object.metadata.name!);
        return;
      }
      // A custom resource leaving may let a terminating CRD finish.
      if (e.type === 'ADDED') return;
      for (const [name, entry] of this.served) {
        if (entry.types[0]?.storage === e.resource && this.terminating(name)) this.queue.add(name);
      }
    });
    for (const crd of this.svc.store.list(CRD_STORAGE)) this.queue.add(crd.metadata.name!);
  }

  stop(): void {
    this.unsubscribe?.();
    this.queue.stop();
  }

  idle(): Promise<void> {
    return this.queue.idle();
  }

  private crds() {
    return this.client.resource('apiextensions.k8s.io', 'customresourcedefinitions');
  }

  private terminating(name: string): boolean {
    return !!this.svc.store.get(CRD_STORAGE, undefined, name)?.metadata.deletionTimestamp;
  }

  private async sync(name: string): Promise<void> {
    const crd = this.crds().get(undefined, name);
    if (!crd) {
      this.unserve(name);
      this.requeueGroup(name.slice(name.indexOf('.') + 1), name);
      return;
    }
    if (crd.metadata.deletionTimestamp) {
      await this.finalize(crd);
      return;
    }
    const accepted = await this.acceptNames(crd);
    this.serve(accepted);
  }

  /** Names taken in `group` by other CRDs and by built-in resources. */
  private namesInUse(group: string, self: string): { resources: Set<string>; kinds: Set<string> } {
    const resources = new Set<string>();
    const kinds = new Set<string>();
    for (const other of this.crds().list()) {
      if (other.spec?.group !== group || other.metadata.name === self) continue;
      const n: Partial<CrdNames> = other.status?.acceptedNames ?? {};
      for (const r of [n.plural, n.singular, ...(n.shortNames ?? [])]) if (r) resources.add(r);
      for (const k of [n.kind, n.listKind]) if (k) kinds.add(k);
    }
    for (const t of this.svc.registry.all()) {
      if (t.group !== group || t.custom) continue;
      for (const r of [t.plural, t.singular, ...(t.shortNames ?? [])]) resources.add(r);
      kinds.add(t.kind).add(t.listKind);
    }
    return { resources, kinds };
  }

  /** Upstream's naming controller, with the establishing controller's step folded in. */
  private async acceptNames(crd: KubeObject): Promise<KubeObject> {
    const requested: CrdNames = crd.spec.names;
    const accepted: CrdNames = crd.status?.acceptedNames ?? { plural: '', kind: '' };
    if (namesEqual(requested, accepted) && isConditionTrue(crd, 'Established')) return crd;

    const used = this.namesInUse(crd.spec.group, crd.metadata.name!);
    const next: CrdNames = { ...accepted };
    let conflict: { reason: string; message: string } | undefined;
    const check = (
      want: string | undefined,
      have: string | undefined,
      inUse: Set<string>,
      reason: string,
    ) => {
      if (!want || want === have || !inUse.has(want)) return true;
      conflict = { reason, message: `"${want}" is already in use` };
      return false;
    };
    if (check(requested.plural, accepted.plural, used.resources, 'PluralConflict'))
      next.plural = requested.plural;
    if (check(requested.singular, accepted.singular, used.resources, 'SingularConflict'))
      next.singular = requested.singular;
    if (!isDeepStrictEqual(requested.shortNames ?? [], accepted.shortNames ?? [])) {
      const clashes = (requested.shortNames ?? []).filter(
        (s) =>
          !(accepted.shortNames ?? []).includes(s) &&
          s !== accepted.plural &&
          s !== accepted.singular &&
          used.resources.has(s),
      );
      if (clashes.length > 0) {
        const list = clashes.map((s) => `"${s}" is already in use`);
        conflict = {
          reason: 'ShortNamesConflict',
          message: list.length === 1 ? list[0]! : `[${list.join(', ')}]`,
        };
      } else next.shortNames = requested.shortNames;
    }
    if (check(requested.kind, accepted.kind, used.kinds, 'KindConflict')) next.kind = requested.kind;
    if (check(requested.listKind, accepted.listKind, used.kinds, 'ListKindConflict'))
      next.listKind = requested.listKind;
    next.categories = requested.categories;

    const now = this.svc.clock.now();
    const namesAccepted: CrdCondition = conflict
      ? { type: 'NamesAccepted', status: 'False', ...conflict }
      : { type: 'NamesAccepted', status: 'True', reason: 'NoConflicts', message: 'no conflicts found' };
    let established: CrdCondition = findCondition(crd, 'Established') ?? {
      type: 'Established',
      status: 'False',
      reason: 'NotAccepted',
      message: 'not all names are accepted',
    };
    if (established.status !== 'True' && namesAccepted.status === 'True') {
      established = {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
      };
    }
    let status = { ...crd.status, acceptedNames: compactNames(next) };
    status = { ...status, conditions: withCondition({ ...crd, status }, namesAccepted, now) };
    status = { ...status, conditions: withCondition({ ...crd, status }, established, now) };
    if (isDeepStrictEqual(status, crd.status)) return crd;
    const updated = await this.crds().update({ ...crd, status }, 'status');
    if (namesAccepted.status === 'True') this.log.info(`serving ${crd.metadata.name}`);
    else this.log.warn(`${crd.metadata.name}: ${namesAccepted.message}`);
    this.requeueGroup(crd.spec.group, crd.metadata.name!);
    return updated;
  }

  private requeueGroup(group: string, except: string): void {
    for (const other of this.crds().list()) {
      if (other.spec?.group === group && other.metadata.name !== except) this.queue.add(other.metadata.name!);
    }
  }

  /** Register the CRD's served versions (once established); drop versions no longer served. */
  private serve(crd: KubeObject): void {
    const name = crd.metadata.name!;
    if (!isConditionTrue(crd, 'Established')) return;
    const fingerprint = JSON.stringify([crd.spec, crd.status?.acceptedNames]);
    const previous = this.served.get(name);
    if (previous?.fingerprint === fingerprint) return;
    const types = servedVersions(crd).map((v) => customResourceType(crd, v));
    const keep = new Set(types.map((t) => t.version));
    for (const t of previous?.types ?? []) {
      if (!keep.has(t.version)) this.svc.registry.unregister(t.group, t.version, t.plural);
    }
    for (const t of types) this.svc.registry.register(t);
    this.served.set(name, { types, fingerprint });
  }

  private unserve(name: string): void {
    const entry = this.served.get(name);
    if (!entry) return;
    for (const t of entry.types) this.svc.registry.unregister(t.group, t.version, t.plural);
    this.served.delete(name);
    this.log.info(`stopped serving ${name}`);
  }

  /** Upstream's CRD finalizer: delete every instance, then release the CRD. */
  private async finalize(crd: KubeObject): Promise<void> {
    if (!(crd.metadata.finalizers ?? []).includes(CLEANUP_FINALIZER)) return;
    const type = this.served.get(crd.metadata.name!)?.types[0];
    let current = await this.setTerminating(crd, {
      type: 'Terminating',
      status: 'True',
      reason: 'InstanceDeletionInProgress',
      message: 'CustomResource deletion is in progress',
    });
    if (type && isConditionTrue(current, 'Established')) {
      const resources = this.client.forType(type);
      for (const o of this.svc.store.list(type.storage)) {
        if (!o.metadata.deletionTimestamp) await resources.delete(o.metadata.namespace, o.metadata.name!);
      }
      // Instances with finalizers of their own keep the CRD until they are gone (requeued then).
      if (this.svc.store.count(type.storage) > 0) return;
      current = await this.setTerminating(current, {
        type: 'Terminating',
        status: 'False',
        reason: 'InstanceDeletionCompleted',
        message: 'removed all instances',
      });
    } else {
      current = await this.setTerminating(current, {
        type: 'Terminating',
        status: 'False',
        reason: 'NeverEstablished',
        message: 'resource was never established',
      });
    }
    const finalizers = (current.metadata.finalizers ?? []).filter((f) => f !== CLEANUP_FINALIZER);
    await this.crds().update({ ...current, metadata: { ...current.metadata, finalizers } });
  }

  private async setTerminating(crd: KubeObject, cond: CrdCondition): Promise<KubeObject> {
    const conditions = withCondition(crd, cond, this.svc.clock.now());
    if (isDeepStrictEqual(conditions, crd.status?.conditions)) return crd;
    return this.crds().update({ ...crd, status: { ...crd.status, conditions } }, 'status');
  }
}

/** Accepted names as the API server serializes them (empty lists and names left out). */
function compactNames(n: CrdNames): CrdNames {
  return {
    plural: n.plural ?? '',
    ...(n.singular ? { singular: n.singular } : {}),
    ...(n.shortNames?.length ? { shortNames: [...n.shortNames] } : {}),
    kind: n.kind ?? '',
    ...(n.listKind ? { listKind: n.listKind } : {}),
    ...(n.categories?.length ? { categories: [...n.categories] } : {}),
  };
}

function namesEqual(a: CrdNames, b: CrdNames): boolean {
  return isDeepStrictEqual(compactNames(a), compactNames(b));
}
