import type { Quantity } from '../../kinds/common/quantity.js';
import type { KubeObject } from '../../store/types.js';
import type { ApiServices } from '../services.js';
import { evaluatorFor, type QuotaEvaluator, quotaMatches, scopeSelectorsOf } from './quota-evaluators.js';
import {
  addInto,
  mask,
  parseList,
  prettyPrint,
  type ResourceList,
  removeZeros,
  toObject,
} from './resources.js';
import { type AdmissionRequest, admissionForbidden } from './types.js';

/**
 * The ResourceQuota admission plugin, after upstream's quota evaluator: a write that would
 * take a namespace past a quota's `status.hard` is refused (`exceeded quota: compute,
 * requested: …, used: …, limited: …`); one that is admitted is charged to `status.used` at
 * once, before the object is stored, so two quick creates cannot both squeeze under the limit.
 * The quota controller later recomputes `used` from what is stored.
 */

const QUOTAS = 'core/resourcequotas';

/** `quota.SubtractWithNonNegativeResult`: what an update adds, never below zero. */
function deltaOf(now: ResourceList, before: ResourceList): ResourceList {
  const out: ResourceList = new Map();
  for (const [k, q] of now) {
    const prev = before.get(k)?.nanos ?? 0n;
    const d = q.nanos - prev;
    out.set(k, { nanos: d > 0n ? d : 0n, format: q.format });
  }
  return out;
}

interface Candidate {
  quota: KubeObject;
  hard: ResourceList;
  used: ResourceList;
}

function candidates(ev: QuotaEvaluator, req: AdmissionRequest, quotas: KubeObject[]): Candidate[] {
  const out: Candidate[] = [];
  for (const quota of quotas) {
    const hard = parseList(quota.status?.hard);
    const hardNames = [...hard.keys()];
    if (!quotaMatches(ev, hardNames, scopeSelectorsOf(quota), req.object)) continue;
    const restricted = ev.matchingResources(hardNames);
    const unmet = ev.constraints?.(restricted, req.object);
    if (unmet) throw admissionForbidden(req, `failed quota: ${quota.metadata.name}: ${unmet}`);
    const used = parseList(quota.status?.used);
    if (restricted.some((r) => !used.has(r))) {
      throw admissionForbidden(
        req,
        `status unknown for quota: ${quota.metadata.name}, resources: ${[...restricted].sort().join(',')}`,
      );
    }
    out.push({ quota, hard, used });
  }
  return out;
}

function chargeQuota(svc: ApiServices, quota: KubeObject, used: ResourceList): void {
  const type = svc.registry.byStorage(QUOTAS)[0];
  if (!type) return;
  const next: KubeObject = structuredClone(quota);
  next.status = { ...(next.status ?? {}), used: toObject(used) };
  svc.fieldManager.update(type, next, quota, 'kube-apiserver', 'Update', 'status', svc.clock.now());
  svc.store.update(QUOTAS, next);
}

export function resourceQuotaValidate(svc: ApiServices, req: AdmissionRequest): void {
  const ns = req.object.metadata.namespace;
  if (!req.type.namespaced || !ns) return;
  const ev = evaluatorFor(req.type.storage, req.type.group, req.type.plural);
  if (!ev.handles(req.operation, req.subresource)) return;
  const quotas = svc.store.list(QUOTAS, ns);
  if (quotas.length === 0) return;
  const matching = candidates(ev, req, quotas);
  if (matching.length === 0) return;

  const now = svc.clock.now();
  const input = ev.usage(req.object, now);
  const negative = [...input].filter(([, q]) => q.nanos < 0n).map(([k]) => k);
  if (negative.length > 0) {
    throw admissionForbidden(req, `quota usage is negative for resource(s): ${negative.sort().join(',')}`);
  }
  const charges: Array<{ quota: KubeObject; used: ResourceList }> = [];
  for (const c of matching) {
    let delta = input;
    if (req.operation === 'UPDATE' && req.old) {
      const hardNames = [...c.hard.keys()];
      if (quotaMatches(ev, hardNames, scopeSelectorsOf(c.quota), req.old)) {
        delta = deltaOf(input, ev.usage(req.old, now));
      }
    }
    delta = removeZeros(delta);
    if (delta.size === 0) continue;
    const requested = mask(delta, c.hard.keys());
    const newUsed: ResourceList = new Map(c.used);
    addInto(newUsed, requested);
    if (req.subresource !== 'status') {
      const exceeded = [...requested.keys()].filter((k) => {
        const hard: Quantity | undefined = c.hard.get(k);
        return hard !== undefined && newUsed.get(k)!.nanos > hard.nanos;
      });
      if (exceeded.length > 0) {
        throw admissionForbidden(
          req,
          `exceeded quota: ${c.quota.metadata.name}, requested: ${prettyPrint(mask(requested, exceeded))}, used: ${prettyPrint(mask(c.used, exceeded))}, limited: ${prettyPrint(mask(c.hard, exceeded))}`,
        );
      }
    }
    charges.push({ quota: c.quota, used: newUsed });
  }
  if (req.dryRun) return;
  for (const { quota, used } of charges) chargeQuota(svc, quota, used);
}
