import { type FieldError, invalidValue, notSupported } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import { qualifiedNameProblems } from '../../api/validation/names.js';
import type { KubeObject } from '../../store/types.js';
import {
  canonicalizeResourceList,
  compareQuantities,
  isQuantity,
  QUANTITY_ERROR,
} from '../common/quantity.js';
import { defineKind } from '../define.js';

const SCOPES = [
  'BestEffort',
  'CrossNamespacePodAffinity',
  'NotBestEffort',
  'NotTerminating',
  'PriorityClass',
  'Terminating',
];
const SCOPE_OPERATORS = ['DoesNotExist', 'Exists', 'In', 'NotIn'];

/** REQUEST and LIMIT cells: `name: used/hard` for each resource, limits.* apart (`printResourceQuota`). */
export function quotaCells(q: KubeObject): [string, string] {
  const hard: Record<string, string> = q.status?.hard ?? {};
  const used: Record<string, string> = q.status?.used ?? {};
  const request: string[] = [];
  const limit: string[] = [];
  for (const name of Object.keys(hard).sort()) {
    const cell = `${name}: ${used[name] ?? '0'}/${hard[name]}`;
    const pieces = name.split('.');
    (pieces.length > 1 && pieces[0] === 'limits' ? limit : request).push(cell);
  }
  return [request.join(', '), limit.join(', ')];
}

function validateResourceList(list: Record<string, unknown> | undefined, path: string): FieldError[] {
  const errs: FieldError[] = [];
  for (const [name, v] of Object.entries(list ?? {})) {
    for (const m of qualifiedNameProblems(name)) errs.push(invalidValue(`${path}[${name}]`, name, m));
    if (!isQuantity(v)) errs.push(invalidValue(`${path}[${name}]`, v, QUANTITY_ERROR));
    else if (compareQuantities(v as string, '0') < 0) {
      errs.push(invalidValue(`${path}[${name}]`, v, 'must be greater than or equal to 0'));
    }
  }
  return errs;
}

function validateQuota(q: KubeObject): FieldError[] {
  const spec = q.spec ?? {};
  const errs = validateResourceList(spec.hard, 'spec.hard');
  (spec.scopes ?? []).forEach((s: unknown) => {
    if (!SCOPES.includes(s as string)) errs.push(notSupported('spec.scopes', s, SCOPES));
  });
  (spec.scopeSelector?.matchExpressions ?? []).forEach((e: any, i: number) => {
    const p = `spec.scopeSelector.matchExpressions[${i}]`;
    if (!SCOPES.includes(e?.scopeName)) errs.push(notSupported(`${p}.scopeName`, e?.scopeName, SCOPES));
    if (!SCOPE_OPERATORS.includes(e?.operator))
      errs.push(notSupported(`${p}.operator`, e?.operator, SCOPE_OPERATORS));
  });
  errs.push(
    ...validateResourceList(q.status?.hard, 'status.hard'),
    ...validateResourceList(q.status?.used, 'status.used'),
  );
  return errs;
}

/** ResourceQuotas: the quota controller fills `status.hard` and `status.used`. */
export const resourceQuota = defineKind({
  group: '',
  version: 'v1',
  kind: 'ResourceQuota',
  plural: 'resourcequotas',
  shortNames: ['quota'],
  namespaced: true,
  schema: 'V1ResourceQuota',
  statusSubresource: true,
  table: {
    columns: [
      nameColumn(),
      col(
        'Request',
        'string',
        '',
        'Request represents a minimum amount of cpu/memory that a container may consume.',
      ),
      col(
        'Limit',
        'string',
        '',
        'Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.',
      ),
      ageColumn(),
    ],
    row: (o, now) => {
      const [request, limit] = quotaCells(o);
      return [o.metadata.name, request, limit, age(o.metadata.creationTimestamp, now)];
    },
  },
  defaults(obj) {
    obj.spec ??= {};
    canonicalizeResourceList(obj.spec.hard);
    canonicalizeResourceList(obj.status?.hard);
    canonicalizeResourceList(obj.status?.used);
  },
  validate: validateQuota,
  prepareCreate(obj) {
    obj.status = {};
  },
});
