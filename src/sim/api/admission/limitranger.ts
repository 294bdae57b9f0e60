import type { KubeObject } from '../../store/types.js';
import type { ApiServices } from '../services.js';
import { parseList, podTotals, quantityString, type ResourceList } from './resources.js';
import { type AdmissionRequest, admissionForbidden, aggregateMessage } from './types.js';

/**
 * The LimitRanger admission plugin: new pods get the default requests and limits of the
 * namespace's LimitRanges (noted in the `kubernetes.io/limit-ranger` annotation), then pods
 * and claims outside a range's min, max or limit/request ratio are refused with upstream's
 * messages (`minimum cpu usage per Container is 100m, but request is 50m`).
 */

const ANNOTATION = 'kubernetes.io/limit-ranger';
const MAX_MILLI_VALUE = 9_223_372_036_854_775n; // MaxInt64 / 1000

const sortedEntries = (m: Record<string, unknown> | undefined) =>
  Object.entries(m ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Pods on create and claims on create or update; never subresources or objects being deleted. */
function supports(req: AdmissionRequest): boolean {
  if (req.subresource) return false;
  if (req.old?.metadata.deletionTimestamp) return false;
  if (req.type.storage === 'core/pods') return req.operation === 'CREATE';
  return req.type.storage === 'core/persistentvolumeclaims';
}

function limitRanges(svc: ApiServices, req: AdmissionRequest): KubeObject[] {
  const ns = req.object.metadata.namespace;
  return ns ? svc.store.list('core/limitranges', ns) : [];
}

function mergeDefaults(c: any, prefix: string, defaults: { requests: any; limits: any }): string[] {
  const set = (which: 'requests' | 'limits') => {
    const added: string[] = [];
    for (const [k, v] of Object.entries<string>(defaults[which])) {
      c.resources ??= {};
      c.resources[which] ??= {};
      if (c.resources[which][k] === undefined) {
        c.resources[which][k] = v;
        added.push(k);
      }
    }
    return added.sort();
  };
  const notes: string[] = [];
  const limits = set('limits');
  const requests = set('requests');
  if (requests.length) notes.push(`${requests.join(', ')} request for ${prefix} ${c.name}`);
  if (limits.length) notes.push(`${limits.join(', ')} limit for ${prefix} ${c.name}`);
  return notes;
}

function applyDefaults(range: KubeObject, pod: KubeObject): void {
  const defaults = { requests: {} as Record<string, string>, limits: {} as Record<string, string> };
  for (const item of range.spec?.limits ?? []) {
    if (item?.type !== 'Container') continue;
    Object.assign(defaults.requests, item.defaultRequest ?? {});
    Object.assign(defaults.limits, item.default ?? {});
  }
  const notes: string[] = [];
  for (const c of pod.spec?.containers ?? []) notes.push(...mergeDefaults(c, 'container', defaults));
  for (const c of pod.spec?.initContainers ?? []) notes.push(...mergeDefaults(c, 'init container', defaults));
  if (notes.length === 0) return;
  pod.metadata.annotations = {
    ...(pod.metadata.annotations ?? {}),
    [ANNOTATION]: `LimitRanger plugin set: ${notes.join('; ')}`,
  };
}

/** Mutating half: fill in defaults. */
export function limitRangerAdmit(svc: ApiServices, req: AdmissionRequest): void {
  if (!supports(req) || req.type.storage !== 'core/pods') return;
  for (const range of limitRanges(svc, req)) applyDefaults(range, req.object);
}

const ceilDiv = (a: bigint, b: bigint) => (a >= 0n ? (a + b - 1n) / b : a / b);

/** Values compared at milli precision unless that could overflow (`requestLimitEnforcedValues`). */
function comparable(...qs: Array<bigint | undefined>): bigint[] {
  const nanos = qs.map((q) => q ?? 0n);
  const values = nanos.map((n) => ceilDiv(n, 1_000_000_000n));
  if (values.every((v) => v <= MAX_MILLI_VALUE)) return nanos.map((n) => ceilDiv(n, 1_000_000n));
  return values;
}

type Check = (kind: string, name: string, enforced: string, req: ResourceList, lim: ResourceList) => string[];

const minCheck: Check = (kind, name, enforcedStr, req, lim) => {
  const enforced = parseList({ [name]: enforcedStr }).get(name)!;
  const r = req.get(name);
  const l = lim.get(name);
  const [rv, lv, ev] = comparable(r?.nanos, l?.nanos, enforced.nanos);
  const e = quantityString(enforced);
  if (!r) return [`minimum ${name} usage per ${kind} is ${e}.  No request is specified`];
  if (rv! < ev!) return [`minimum ${name} usage per ${kind} is ${e}, but request is ${quantityString(r)}`];
  if (l && lv! < ev!) return [`minimum ${name} usage per ${kind} is ${e}, but limit is ${quantityString(l)}`];
  return [];
};

const maxCheck: Check = (kind, name, enforcedStr, req, lim) => {
  const enforced = parseList({ [name]: enforcedStr }).get(name)!;
  const r = req.get(name);
  const l = lim.get(name);
  const [rv, lv, ev] = comparable(r?.nanos, l?.nanos, enforced.nanos);
  const e = quantityString(enforced);
  if (!l) return [`maximum ${name} usage per ${kind} is ${e}.  No limit is specified`];
  if (lv! > ev!) return [`maximum ${name} usage per ${kind} is ${e}, but limit is ${quantityString(l)}`];
  if (r && rv! > ev!)
    return [`maximum ${name} usage per ${kind} is ${e}, but request is ${quantityString(r)}`];
  return [];
};

/** Claims have no limits: the max applies to what they request. */
const maxRequestCheck: Check = (kind, name, enforcedStr, req) => {
  const enforced = parseList({ [name]: enforcedStr }).get(name)!;
  const r = req.get(name);
  const [rv, , ev] = comparable(r?.nanos, 0n, enforced.nanos);
  const e = quantityString(enforced);
  if (!r) return [`maximum ${name} usage per ${kind} is ${e}.  No request is specified`];
  if (rv! > ev!) return [`maximum ${name} usage per ${kind} is ${e}, but request is ${quantityString(r)}`];
  return [];
};

const ratioCheck: Check = (kind, name, enforcedStr, req, lim) => {
  const enforced = parseList({ [name]: enforcedStr }).get(name)!;
  const r = req.get(name);
  const l = lim.get(name);
  const [rv, lv] = comparable(r?.nanos, l?.nanos, enforced.nanos);
  const e = quantityString(enforced);
  if (!r || rv === 0n)
    return [
      `${name} max limit to request ratio per ${kind} is ${e}, but no request is specified or request is 0`,
    ];
  if (!l || lv === 0n)
    return [
      `${name} max limit to request ratio per ${kind} is ${e}, but no limit is specified or limit is 0`,
    ];
  const observed = Number(lv) / Number(rv);
  if (observed > Number(enforced.nanos) / 1e9) {
    return [
      `${name} max limit to request ratio per ${kind} is ${e}, but provided ratio is ${observed.toFixed(6)}`,
    ];
  }
  return [];
};

function checkItem(item: any, kind: string, req: ResourceList, lim: ResourceList, max: Check): string[] {
  const errs: string[] = [];
  for (const [k, v] of sortedEntries(item.min)) errs.push(...minCheck(kind, k, String(v), req, lim));
  for (const [k, v] of sortedEntries(item.max)) errs.push(...max(kind, k, String(v), req, lim));
  if (max === maxCheck) {
    for (const [k, v] of sortedEntries(item.maxLimitRequestRatio))
      errs.push(...ratioCheck(kind, k, String(v), req, lim));
  }
  return errs;
}

function podProblems(range: KubeObject, pod: KubeObject): string[] {
  const errs: string[] = [];
  const spec = pod.spec ?? {};
  for (const item of range.spec?.limits ?? []) {
    if (item?.type === 'Container') {
      for (const c of [...(spec.containers ?? []), ...(spec.initContainers ?? [])]) {
        const res = c?.resources ?? {};
        errs.push(...checkItem(item, 'Container', parseList(res.requests), parseList(res.limits), maxCheck));
      }
    }
    if (item?.type === 'Pod') {
      const req = podTotals(spec, 'requests', false);
      const lim = podTotals(spec, 'limits', false);
      errs.push(...checkItem(item, 'Pod', req, lim, maxCheck));
    }
  }
  return errs;
}

function claimProblems(range: KubeObject, pvc: KubeObject): string[] {
  const errs: string[] = [];
  const requests = parseList(pvc.spec?.resources?.requests);
  for (const item of range.spec?.limits ?? []) {
    if (item?.type !== 'PersistentVolumeClaim') continue;
    errs.push(...checkItem(item, 'PersistentVolumeClaim', requests, new Map(), maxRequestCheck));
  }
  return errs;
}

/** Validating half: refuse what falls outside a range. */
export function limitRangerValidate(svc: ApiServices, req: AdmissionRequest): void {
  if (!supports(req)) return;
  const isPod = req.type.storage === 'core/pods';
  for (const range of limitRanges(svc, req)) {
    const errs = isPod ? podProblems(range, req.object) : claimProblems(range, req.object);
    if (errs.length > 0) throw admissionForbidden(req, aggregateMessage(errs));
  }
}
