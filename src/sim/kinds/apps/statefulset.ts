import { isDeepStrictEqual } from 'node:util';
import { type FieldError, forbiddenField, invalidValue, notSupported, required } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { nameProblems } from '../../api/validation/names.js';
import { containersColumn, imagesColumn } from '../common/columns.js';
import { canonicalizeResourceList } from '../common/quantity.js';
import {
  containerCells,
  defaultPodTemplate,
  nonNegative,
  validateReplicatedTemplate,
  validateSelector,
} from '../common/workload.js';
import { defineKind } from '../define.js';
import { SCALE_SUBRESOURCE } from './deployment.js';

const MUTABLE_SPEC = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];
const IMMUTABLE_SPEC_MESSAGE =
  "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden";
const RETENTION = ['Retain', 'Delete'];

/**
 * Claim templates come back as full PersistentVolumeClaims: type meta, `creationTimestamp:
 * null`, the Filesystem volume mode and a Pending status, as the v1 conversion writes them.
 */
function defaultClaimTemplate(pvc: any): void {
  if (!pvc || typeof pvc !== 'object') return;
  pvc.apiVersion ??= 'v1';
  pvc.kind ??= 'PersistentVolumeClaim';
  pvc.metadata ??= {};
  if (pvc.metadata.creationTimestamp === undefined) pvc.metadata.creationTimestamp = null;
  pvc.spec ??= {};
  pvc.spec.volumeMode ??= 'Filesystem';
  canonicalizeResourceList(pvc.spec.resources?.requests);
  canonicalizeResourceList(pvc.spec.resources?.limits);
  pvc.status ??= {};
  pvc.status.phase ??= 'Pending';
}

function validateUpdateStrategy(strategy: any): FieldError[] {
  const path = 'spec.updateStrategy';
  switch (strategy?.type) {
    case undefined:
    case '':
      return [required(path)];
    case 'OnDelete':
      return strategy.rollingUpdate
        ? [
            invalidValue(
              `${path}.rollingUpdate`,
              strategy.rollingUpdate,
              "only allowed for updateStrategy 'RollingUpdate'",
            ),
          ]
        : [];
    case 'RollingUpdate':
      return nonNegative(`${path}.rollingUpdate.partition`, strategy.rollingUpdate?.partition);
    default:
      return [invalidValue(path, strategy.type, "must be 'RollingUpdate' or 'OnDelete'")];
  }
}

function validateSpec(spec: any, checkServiceName: boolean): FieldError[] {
  const rules = { what: 'statefulset', kind: 'StatefulSet' };
  const errs: FieldError[] = [];
  const policy = spec.podManagementPolicy;
  if (policy !== 'OrderedReady' && policy !== 'Parallel') {
    errs.push(notSupported('spec.podManagementPolicy', policy ?? '', ['OrderedReady', 'Parallel']));
  }
  errs.push(...validateUpdateStrategy(spec.updateStrategy));
  const retention = spec.persistentVolumeClaimRetentionPolicy ?? {};
  for (const k of ['whenDeleted', 'whenScaled']) {
    if (retention[k] !== undefined && !RETENTION.includes(retention[k])) {
      errs.push(notSupported(`spec.persistentVolumeClaimRetentionPolicy.${k}`, retention[k], RETENTION));
    }
  }
  errs.push(...nonNegative('spec.replicas', spec.replicas));
  errs.push(...nonNegative('spec.minReadySeconds', spec.minReadySeconds));
  errs.push(...nonNegative('spec.ordinals.start', spec.ordinals?.start));
  if (checkServiceName && spec.serviceName) {
    for (const m of nameProblems(spec.serviceName, 'label')) {
      errs.push(invalidValue('spec.serviceName', spec.serviceName, m));
    }
  }
  errs.push(...validateSelector(spec, rules));
  errs.push(...validateReplicatedTemplate(withClaimVolumes(spec), rules));
  (spec.volumeClaimTemplates ?? []).forEach((pvc: any, i: number) => {
    if (!pvc?.metadata?.name) errs.push(required(`spec.volumeClaimTemplates[${i}].metadata.name`));
  });
  return errs;
}

/**
 * The pod template as its pods will be: each claim template becomes a volume, so mounts that
 * name a claim template are valid (upstream skips the volume checks for the same reason).
 */
function withClaimVolumes(spec: any): any {
  const claims: any[] = spec.volumeClaimTemplates ?? [];
  const podSpec = spec.template?.spec;
  if (claims.length === 0 || !podSpec || typeof podSpec !== 'object') return spec;
  const names = new Set((podSpec.volumes ?? []).map((v: any) => v?.name));
  const extra = claims
    .map((c) => c?.metadata?.name)
    .filter((n) => typeof n === 'string' && !names.has(n))
    .map((name) => ({ name, persistentVolumeClaim: { claimName: name } }));
  return {
    ...spec,
    template: { ...spec.template, spec: { ...podSpec, volumes: [...(podSpec.volumes ?? []), ...extra] } },
  };
}

function withoutMutable(spec: any): Record<string, unknown> {
  const rest = { ...(spec ?? {}) };
  for (const k of MUTABLE_SPEC) delete rest[k];
  return rest;
}

/** apps/v1 StatefulSets: stable names and claim templates, most of the spec fixed at creation. */
export const statefulSet = defineKind({
  group: 'apps',
  version: 'v1',
  kind: 'StatefulSet',
  plural: 'statefulsets',
  shortNames: ['sts'],
  categories: ['all'],
  namespaced: true,
  schema: 'V1StatefulSet',
  statusSubresource: true,
  generation: true,
  subresources: [SCALE_SUBRESOURCE],
  table: {
    columns: [
      nameColumn(),
      col('Ready', 'string', '', 'Number of the pod with ready state'),
      ageColumn(),
      containersColumn(),
      imagesColumn(),
    ],
    row: (o, now) => [
      o.metadata.name,
      `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 0}`,
      age(o.metadata.creationTimestamp, now),
      ...containerCells(o.spec?.template?.spec),
    ],
  },
  defaults(obj) {
    obj.spec ??= {};
    const spec = obj.spec;
    spec.podManagementPolicy ??= 'OrderedReady';
    spec.updateStrategy ??= {};
    const strategy = spec.updateStrategy;
    // Only a defaulted strategy gets a rollingUpdate block; an explicit one is left as written.
    if (!strategy.type) {
      strategy.type = 'RollingUpdate';
      strategy.rollingUpdate ??= {};
    }
    if (strategy.type === 'RollingUpdate' && strategy.rollingUpdate) strategy.rollingUpdate.partition ??= 0;
    spec.persistentVolumeClaimRetentionPolicy ??= {};
    spec.persistentVolumeClaimRetentionPolicy.whenDeleted ??= 'Retain';
    spec.persistentVolumeClaimRetentionPolicy.whenScaled ??= 'Retain';
    spec.replicas ??= 1;
    spec.revisionHistoryLimit ??= 10;
    defaultPodTemplate(spec.template);
    for (const pvc of spec.volumeClaimTemplates ?? []) defaultClaimTemplate(pvc);
  },
  validate(obj, old) {
    // Names that were accepted before stay acceptable on update.
    const errs = validateSpec(obj.spec ?? {}, !old);
    if (old && !isDeepStrictEqual(withoutMutable(obj.spec), withoutMutable(old.spec))) {
      errs.push(forbiddenField('spec', IMMUTABLE_SPEC_MESSAGE));
    }
    return errs;
  },
  prepareCreate(obj) {
    obj.status = { availableReplicas: 0, replicas: 0 };
  },
});
