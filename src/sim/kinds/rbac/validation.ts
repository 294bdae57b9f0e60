import { type FieldError, invalidValue, notSupported, required } from '../../api/errors.js';
import { nameProblems } from '../../api/validation/names.js';
import { validateLabelSelector } from '../common/labelselector.js';

/** The checks upstream's RBAC validation makes, with its messages. */

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

const requiredWith = (field: string, detail: string): FieldError => ({
  ...required(field),
  message: `Required value: ${detail}`,
});

const isEmpty = (list: unknown) => !Array.isArray(list) || list.length === 0;

/** Go prints a []string as `[]string{"a", "b"}` in field errors (`%#v`). */
const goStrings = (list: string[]) => `[]string{${list.map((s) => JSON.stringify(s)).join(', ')}}`;

export function validatePolicyRule(rule: any, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  if (isEmpty(rule?.verbs)) errs.push(requiredWith(`${path}.verbs`, 'verbs must contain at least one value'));
  const urls: string[] = rule?.nonResourceURLs ?? [];
  if (urls.length > 0) {
    const invalidUrls = (detail: string): FieldError => ({
      type: 'FieldValueInvalid',
      field: `${path}.nonResourceURLs`,
      message: `Invalid value: ${goStrings(urls)}: ${detail}`,
    });
    if (namespaced) errs.push(invalidUrls('namespaced rules cannot apply to non-resource URLs'));
    if (!isEmpty(rule.apiGroups) || !isEmpty(rule.resources) || !isEmpty(rule.resourceNames)) {
      errs.push(invalidUrls('rules cannot apply to both regular resources and non-resource URLs'));
    }
    return errs;
  }
  if (isEmpty(rule?.apiGroups)) {
    errs.push(requiredWith(`${path}.apiGroups`, 'resource rules must supply at least one api group'));
  }
  if (isEmpty(rule?.resources)) {
    errs.push(requiredWith(`${path}.resources`, 'resource rules must supply at least one resource'));
  }
  return errs;
}

export function validateRules(rules: unknown, namespaced: boolean): FieldError[] {
  if (!Array.isArray(rules)) return [];
  return rules.flatMap((r, i) => validatePolicyRule(r, namespaced, `rules[${i}]`));
}

export function validateAggregationRule(rule: any): FieldError[] {
  if (rule === undefined || rule === null) return [];
  const path = 'aggregationRule.clusterRoleSelectors';
  const selectors: any[] = rule.clusterRoleSelectors ?? [];
  if (selectors.length === 0) {
    return [requiredWith(path, 'at least one clusterRoleSelector required if aggregationRule is non-nil')];
  }
  return selectors.flatMap((s, i) => validateLabelSelector(s, `${path}[${i}]`));
}

/** Role and binding names only need to be usable as a URL path segment (`system:masters` is fine). */
export function validateRoleRef(ref: any, kinds: string[]): FieldError[] {
  const errs: FieldError[] = [];
  const apiGroup = ref?.apiGroup ?? '';
  if (apiGroup !== RBAC_GROUP) errs.push(notSupported('roleRef.apiGroup', apiGroup, [RBAC_GROUP]));
  const kind = ref?.kind ?? '';
  if (!kinds.includes(kind)) errs.push(notSupported('roleRef.kind', kind, kinds));
  const name: string = ref?.name ?? '';
  if (!name) errs.push(required('roleRef.name'));
  else for (const m of nameProblems(name, 'path')) errs.push(invalidValue('roleRef.name', name, m));
  return errs;
}

export function validateSubject(subject: any, namespaced: boolean, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const name: string = subject?.name ?? '';
  const apiGroup: string = subject?.apiGroup ?? '';
  if (!name) errs.push(required(`${path}.name`));
  switch (subject?.kind) {
    case 'ServiceAccount':
      if (name)
        for (const m of nameProblems(name, 'subdomain')) errs.push(invalidValue(`${path}.name`, name, m));
      if (apiGroup) errs.push(notSupported(`${path}.apiGroup`, apiGroup, ['']));
      if (!namespaced && !subject.namespace) errs.push(required(`${path}.namespace`));
      break;
    case 'User':
    case 'Group':
      if (apiGroup !== RBAC_GROUP) errs.push(notSupported(`${path}.apiGroup`, apiGroup, [RBAC_GROUP]));
      break;
    default:
      errs.push(notSupported(`${path}.kind`, subject?.kind ?? '', ['ServiceAccount', 'User', 'Group']));
  }
  return errs;
}

/** `roleRef` never changes: a binding to another role is a new binding. */
export function validateRoleRefUpdate(ref: any, old: any): FieldError[] {
  const same =
    (ref?.apiGroup ?? '') === (old?.apiGroup ?? '') &&
    (ref?.kind ?? '') === (old?.kind ?? '') &&
    (ref?.name ?? '') === (old?.name ?? '');
  if (same) return [];
  const shown = `rbac.RoleRef{APIGroup:${JSON.stringify(ref?.apiGroup ?? '')}, Kind:${JSON.stringify(ref?.kind ?? '')}, Name:${JSON.stringify(ref?.name ?? '')}}`;
  return [
    {
      type: 'FieldValueInvalid',
      field: 'roleRef',
      message: `Invalid value: ${shown}: cannot change roleRef`,
    },
  ];
}

/** Defaults of rbac/v1: the role's API group, and the API group of User and Group subjects. */
export function defaultBinding(obj: any): void {
  obj.roleRef ??= {};
  if (!obj.roleRef.apiGroup) obj.roleRef.apiGroup = RBAC_GROUP;
  for (const s of obj.subjects ?? []) {
    if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC_GROUP;
  }
}
