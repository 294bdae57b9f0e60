import { randomUUID } from 'node:crypto';
import type { ResourceType } from '../../kinds/types.js';
import type { KubeObject, ObjectMeta } from '../../store/types.js';
import { type FieldError, forbiddenField, invalidValue, required } from '../errors.js';
import { type NameRule, validateAnnotations, validateLabels, validateName } from './names.js';

/**
 * Metadata rules shared by every kind: which fields the server owns, which a client may set,
 * and how names are validated for each resource.
 */

/** Resources whose names must be DNS-1123 labels (or DNS-1035 for services), not subdomains. */
const NAME_RULES: Record<string, NameRule> = {
  'core/namespaces': 'label',
  'core/services': 'dns1035',
  'apps/deployments': 'subdomain',
  'apps/statefulsets': 'label',
  'batch/cronjobs': 'subdomain',
  'core/nodes': 'subdomain',
  // RBAC names need only be path segments (`system:masters`, `kubeadm:cluster-admins`).
  'rbac.authorization.k8s.io/roles': 'path',
  'rbac.authorization.k8s.io/rolebindings': 'path',
  'rbac.authorization.k8s.io/clusterroles': 'path',
  'rbac.authorization.k8s.io/clusterrolebindings': 'path',
};

export function nameRuleFor(type: ResourceType): NameRule {
  return NAME_RULES[type.storage] ?? 'subdomain';
}

/** Timestamps in objects are RFC 3339 with second precision, as the API server writes them. */
export function timestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function validateObjectMeta(type: ResourceType, meta: ObjectMeta | undefined): FieldError[] {
  const errs: FieldError[] = [];
  if (!meta || typeof meta !== 'object') return [required('metadata')];
  if (!meta.name && !meta.generateName) {
    errs.push({ ...required('metadata.name'), message: 'Required value: name or generateName is required' });
  }
  if (meta.name) errs.push(...validateName('metadata.name', meta.name, nameRuleFor(type)));
  if (type.namespaced && !meta.namespace) errs.push(required('metadata.namespace'));
  if (!type.namespaced && meta.namespace) {
    errs.push(forbiddenField('metadata.namespace', 'not allowed on this type'));
  }
  errs.push(...validateLabels('metadata.labels', meta.labels));
  errs.push(...validateAnnotations('metadata.annotations', meta.annotations));
  for (const [i, f] of (meta.finalizers ?? []).entries()) {
    if (typeof f !== 'string' || f.length === 0) errs.push(required(`metadata.finalizers[${i}]`));
  }
  for (const [i, ref] of (meta.ownerReferences ?? []).entries()) {
    const p = `metadata.ownerReferences[${i}]`;
    if (!ref.apiVersion)
      errs.push(invalidValue(`${p}.apiVersion`, ref.apiVersion ?? '', 'version must not be empty'));
    if (!ref.kind) errs.push(invalidValue(`${p}.kind`, ref.kind ?? '', 'kind must not be empty'));
    if (!ref.name) errs.push(invalidValue(`${p}.name`, ref.name ?? '', 'name must not be empty'));
    if (!ref.uid) errs.push(invalidValue(`${p}.uid`, ref.uid ?? '', 'uid must not be empty'));
  }
  if (meta.generation !== undefined && meta.generation < 0) {
    errs.push(invalidValue('metadata.generation', meta.generation, 'must be greater than or equal to 0'));
  }
  return errs;
}

/** Fields of metadata a client may not change once the object exists. */
export function validateMetaUpdate(meta: ObjectMeta, old: ObjectMeta): FieldError[] {
  const errs: FieldError[] = [];
  if (meta.name !== old.name) {
    errs.push(invalidValue('metadata.name', meta.name, 'field is immutable'));
  }
  if ((meta.namespace ?? '') !== (old.namespace ?? '')) {
    errs.push(invalidValue('metadata.namespace', meta.namespace, 'field is immutable'));
  }
  return errs;
}

/** Server-owned metadata for a new object. */
export function initCreateMeta(obj: KubeObject, type: ResourceType, now: Date): void {
  const m = obj.metadata;
  m.uid = randomUUID();
  m.creationTimestamp = timestamp(now);
  delete m.resourceVersion;
  delete m.deletionTimestamp;
  delete m.deletionGracePeriodSeconds;
  delete m.selfLink;
  if (type.generation) m.generation = 1;
  else delete m.generation;
  if (!type.namespaced) delete m.namespace;
  for (const k of ['labels', 'annotations'] as const) {
    if (m[k] && Object.keys(m[k]!).length === 0) delete m[k];
  }
}

/** Carry over what clients cannot change on update. */
export function carryOverMeta(obj: KubeObject, old: KubeObject): void {
  const m = obj.metadata;
  m.uid = old.metadata.uid;
  m.creationTimestamp = old.metadata.creationTimestamp;
  if (old.metadata.deletionTimestamp) {
    m.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined) {
      m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    }
  } else {
    delete m.deletionTimestamp;
    delete m.deletionGracePeriodSeconds;
  }
  if (old.metadata.generation !== undefined) m.generation = old.metadata.generation;
  else delete m.generation;
  delete m.selfLink;
  for (const k of ['labels', 'annotations'] as const) {
    if (m[k] && Object.keys(m[k]!).length === 0) delete m[k];
  }
}
