import {
  evaluatorFor,
  type QuotaEvaluator,
  quotaMatches,
  type ScopeSelector,
  scopeSelectorsOf,
} from '../../api/admission/quota-evaluators.js';
import {
  addInto,
  listsEqual,
  mask,
  parseList,
  type ResourceList,
  subtractFrom,
} from '../../api/admission/resources.js';
import type { KubeObject } from '../../store/types.js';

/**
 * A running total of what one ResourceQuota's namespace uses, kept per object so that a
 * change to one pod costs one subtraction and one addition instead of a recount of the
 * namespace (namespaces may hold thousands of pods).
 */

const LEGACY_STORAGE: Record<string, string> = {
  pods: 'core/pods',
  services: 'core/services',
  persistentvolumeclaims: 'core/persistentvolumeclaims',
  configmaps: 'core/configmaps',
  secrets: 'core/secrets',
  replicationcontrollers: 'core/replicationcontrollers',
  resourcequotas: 'core/resourcequotas',
};

const POD_NAMES = /^(cpu|memory|ephemeral-storage|(requests|limits)\.|hugepages-)/;
const SERVICE_NAMES = /^services\./;
const CLAIM_NAMES = /(^requests\.storage$|\.storageclass\.storage\.k8s\.io\/)/;

/** Which stored resource a quota name is about (`count/deployments.apps` → `apps/deployments`). */
export function storageOfQuotaName(
  name: string,
): { storage: string; group: string; plural: string } | undefined {
  if (name.startsWith('count/')) {
    const rest = name.slice('count/'.length);
    const dot = rest.indexOf('.');
    const plural = dot < 0 ? rest : rest.slice(0, dot);
    const group = dot < 0 ? '' : rest.slice(dot + 1);
    return { storage: `${group || 'core'}/${plural}`, group, plural };
  }
  const legacy = LEGACY_STORAGE[name];
  if (legacy) return { storage: legacy, group: '', plural: name };
  if (CLAIM_NAMES.test(name))
    return { storage: 'core/persistentvolumeclaims', group: '', plural: 'persistentvolumeclaims' };
  if (SERVICE_NAMES.test(name)) return { storage: 'core/services', group: '', plural: 'services' };
  if (POD_NAMES.test(name)) return { storage: 'core/pods', group: '', plural: 'pods' };
  return undefined;
}

interface Tracked {
  ev: QuotaEvaluator;
  names: string[];
}

export class QuotaTally {
  readonly hardNames: string[];
  readonly scopes: ScopeSelector[];
  /** Spec parts the tally depends on; a change means a rebuild. */
  readonly shape: string;
  private readonly tracked = new Map<string, Tracked>();
  private readonly shares = new Map<string, ResourceList>();
  private readonly totals: ResourceList = new Map();

  constructor(quota: KubeObject) {
    this.hardNames = Object.keys(quota.spec?.hard ?? {}).sort();
    this.scopes = scopeSelectorsOf(quota);
    this.shape = JSON.stringify([this.hardNames, this.scopes]);
    for (const name of this.hardNames) {
      const where = storageOfQuotaName(name);
      if (!where || this.tracked.has(where.storage)) continue;
      const ev = evaluatorFor(where.storage, where.group, where.plural);
      const names = ev.matchingResources(this.hardNames);
      if (names.length > 0) this.tracked.set(where.storage, { ev, names });
    }
  }

  /** Stored resources whose objects count against this quota. */
  storages(): string[] {
    return [...this.tracked.keys()];
  }

  tracks(storage: string): boolean {
    return this.tracked.has(storage);
  }

  /** Take `obj` (or its removal) into account; true when the totals changed. */
  account(storage: string, key: string, obj: KubeObject | undefined, now: Date): boolean {
    const t = this.tracked.get(storage);
    if (!t) return false;
    const shareKey = `${storage}\u0000${key}`;
    const before = this.shares.get(shareKey);
    const after =
      obj && quotaMatches(t.ev, this.hardNames, this.scopes, obj)
        ? mask(t.ev.usage(obj, now), t.names)
        : undefined;
    if (before && after && listsEqual(before, after)) return false;
    if (!before && !after) return false;
    if (before) subtractFrom(this.totals, before);
    if (after) {
      addInto(this.totals, after);
      this.shares.set(shareKey, after);
    } else this.shares.delete(shareKey);
    return true;
  }

  /** `status.used`: every hard name some evaluator measures, zero when nothing uses it. */
  used(): ResourceList {
    const out: ResourceList = new Map();
    for (const t of this.tracked.values()) {
      for (const n of t.names) out.set(n, this.totals.get(n) ?? parseList({ [n]: '0' }).get(n)!);
    }
    return out;
  }
}
