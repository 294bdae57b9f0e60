import { selectorMatches } from '../../kinds/common/labelselector.js';
import { parseQuantity } from '../../kinds/common/quantity.js';
import { storageClassOf } from '../../kinds/common/storage.js';
import type { KubeObject } from '../../store/types.js';
import type { IndexFunc, ObjectIndex } from '../object-index.js';

/**
 * Which volume a claim gets, as upstream's binder chooses: a volume pre-bound to the claim
 * wins; otherwise the smallest Available volume of the claim's class that is big enough,
 * has the claim's volume mode and matches its selector, looking first among volumes with the
 * fewest access modes that still include all the claim asks for.
 */

/** Sizes in nano-units, parsed once per distinct text: matching compares every volume with each claim. */
const sizes = new Map<string, bigint>();
function size(text: unknown): bigint {
  const key = String(text ?? '0');
  let n = sizes.get(key);
  if (n === undefined) {
    try {
      n = parseQuantity(key).nanos;
    } catch {
      n = 0n;
    }
    if (sizes.size > 10_000) sizes.clear();
    sizes.set(key, n);
  }
  return n;
}

const requestOf = (claim: KubeObject) => size(claim.spec?.resources?.requests?.storage);
const capacityOf = (pv: KubeObject) => size(pv.spec?.capacity?.storage);

function modesKey(modes: string[] | undefined): string {
  return [...new Set(modes ?? [])].sort().join(',');
}

/** Volumes filed by their set of access modes, so a claim only looks at sets that can serve it. */
export const byAccessModes: IndexFunc = (pv) => [modesKey(pv.spec?.accessModes)];

/** The claim's volume mode and the volume's differ (unset means Filesystem on both sides). */
export function volumeModeMismatch(claim: KubeObject, pv: KubeObject): boolean {
  return (claim.spec?.volumeMode ?? 'Filesystem') !== (pv.spec?.volumeMode ?? 'Filesystem');
}

/** The volume offers every access mode the claim asks for. */
export function accessModesFit(claim: KubeObject, pv: KubeObject): boolean {
  const offered = new Set<string>(pv.spec?.accessModes ?? []);
  return (claim.spec?.accessModes ?? []).every((m: string) => offered.has(m));
}

/** The volume's claimRef names this claim (and, once set, its uid). */
export function isVolumeBoundToClaim(pv: KubeObject, claim: KubeObject): boolean {
  const ref = pv.spec?.claimRef;
  if (!ref) return false;
  if (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace) return false;
  return !ref.uid || ref.uid === claim.metadata.uid;
}

/** Why a volume the claim names cannot serve it, in upstream's words; undefined when it can. */
export function volumeUnfitReason(pv: KubeObject, claim: KubeObject): string | undefined {
  if (pv.metadata.deletionTimestamp) return `the volume is marked for deletion "${pv.metadata.name}"`;
  if (capacityOf(pv) < requestOf(claim)) return 'requested PV is too small';
  if (storageClassOf(pv) !== storageClassOf(claim)) return 'storageClassName does not match';
  if (volumeModeMismatch(claim, pv)) return 'incompatible volumeMode';
  if (!accessModesFit(claim, pv)) return 'incompatible accessMode';
  return undefined;
}

/**
 * upstream's FindMatchingVolume without the scheduler's node check. With `delayBinding`
 * (WaitForFirstConsumer) only a volume pre-bound to the claim is returned: the scheduler
 * picks unbound ones when it knows the node.
 */
export function findMatchingVolume(
  claim: KubeObject,
  volumes: KubeObject[],
  delayBinding: boolean,
): KubeObject | undefined {
  const cls = storageClassOf(claim);
  let smallest: KubeObject | undefined;
  for (const pv of volumes) {
    if (pv.spec?.claimRef && !isVolumeBoundToClaim(pv, claim)) continue;
    if (capacityOf(pv) < requestOf(claim)) continue;
    if (volumeModeMismatch(claim, pv)) continue;
    if ((claim.spec?.volumeAttributesClassName ?? '') !== (pv.spec?.volumeAttributesClassName ?? ''))
      continue;
    if (pv.metadata.deletionTimestamp) continue;
    if (isVolumeBoundToClaim(pv, claim)) return pv;
    if (delayBinding) continue;
    if (pv.status?.phase !== 'Available') continue;
    if (claim.spec?.selector && !selectorMatches(claim.spec.selector, pv.metadata.labels)) continue;
    if (storageClassOf(pv) !== cls) continue;
    // Ties go to the first name, so the choice does not depend on the order volumes are seen in.
    const order = smallest ? capacityOf(smallest) - capacityOf(pv) : 1n;
    if (order > 0n || (order === 0n && pv.metadata.name! < smallest!.metadata.name!)) smallest = pv;
  }
  return smallest;
}

/** The best volume for a claim among the indexed ones (upstream's findBestMatchForClaim). */
export function findBestMatchForClaim(
  claim: KubeObject,
  volumes: ObjectIndex,
  delayBinding: boolean,
): KubeObject | undefined {
  const wanted: string[] = claim.spec?.accessModes ?? [];
  const candidates = volumes
    .keys('modes')
    .map((key) => ({ key, modes: key ? key.split(',') : [] }))
    .filter((c) => wanted.every((m) => c.modes.includes(m)))
    .sort((a, b) => a.modes.length - b.modes.length || a.key.localeCompare(b.key));
  for (const c of candidates) {
    const found = findMatchingVolume(claim, volumes.get('modes', c.key), delayBinding);
    if (found) return found;
  }
  return undefined;
}
