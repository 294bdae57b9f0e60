import type { ApiServices } from '../services.js';
import { limitRangerAdmit, limitRangerValidate } from './limitranger.js';
import { priorityAdmit } from './priority.js';
import { resourceQuotaValidate } from './resourcequota.js';
import type { AdmissionPlugin, AdmissionRequest } from './types.js';

/**
 * The sim's admission chain, run by the write pipeline (`handlers/commit.ts`) for creates and
 * updates from kubectl and from the sim's own controllers alike. As upstream: mutating
 * plugins run after defaulting and before validation; validating plugins run last, just
 * before the object is stored, with ResourceQuota at the very end so that nothing can fail
 * after it has charged the quota. Plugins are synchronous, so no other write can slip in
 * between a quota check and the store.
 *
 * Other upstream plugins live with their kinds: ServiceAccount and DefaultTolerationSeconds in
 * `kinds/core/pod.ts`, DefaultStorageClass in the PersistentVolumeClaim kind.
 */

const MUTATING: AdmissionPlugin[] = [limitRangerAdmit, priorityAdmit];
const VALIDATING: AdmissionPlugin[] = [limitRangerValidate, resourceQuotaValidate];

export type { AdmissionRequest } from './types.js';

/** Mutating admission: may change `req.object`; throws a Forbidden ApiError to refuse. */
export function admitMutation(svc: ApiServices, req: AdmissionRequest): void {
  for (const plugin of MUTATING) plugin(svc, req);
}

/** Validating admission: throws a Forbidden ApiError to refuse. */
export function admitValidation(svc: ApiServices, req: AdmissionRequest): void {
  for (const plugin of VALIDATING) plugin(svc, req);
}
