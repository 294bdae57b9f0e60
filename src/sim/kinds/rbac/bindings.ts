import type { FieldError } from '../../api/errors.js';
import { age, ageColumn, col, nameColumn } from '../../api/table.js';
import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import type { TableSpec } from '../types.js';
import {
  defaultBinding,
  RBAC_GROUP,
  validateRoleRef,
  validateRoleRefUpdate,
  validateSubject,
} from './validation.js';

/** rbac.authorization.k8s.io/v1 RoleBindings and ClusterRoleBindings. */

/** Users, groups and service accounts (`namespace/name`) of a binding, as upstream lists them. */
export function subjectsByKind(subjects: any[] | undefined) {
  const users: string[] = [];
  const groups: string[] = [];
  const serviceAccounts: string[] = [];
  for (const s of subjects ?? []) {
    if (s.kind === 'ServiceAccount') serviceAccounts.push(`${s.namespace ?? ''}/${s.name}`);
    else if (s.kind === 'User') users.push(s.name);
    else if (s.kind === 'Group') groups.push(s.name);
  }
  return { users, groups, serviceAccounts };
}

function bindingTable(kind: 'roleBinding' | 'clusterRoleBinding', roleRefDoc: string): TableSpec {
  return {
    columns: [
      nameColumn(),
      col('Role', 'string', '', roleRefDoc),
      ageColumn(),
      col('Users', 'string', '', `Users in the ${kind}`, 1),
      col('Groups', 'string', '', `Groups in the ${kind}`, 1),
      col('ServiceAccounts', 'string', '', `ServiceAccounts in the ${kind}`, 1),
    ],
    row: (o, now) => {
      const s = subjectsByKind(o.subjects);
      return [
        o.metadata.name,
        `${o.roleRef?.kind ?? ''}/${o.roleRef?.name ?? ''}`,
        age(o.metadata.creationTimestamp, now),
        s.users.join(', '),
        s.groups.join(', '),
        s.serviceAccounts.join(', '),
      ];
    },
  };
}

function validateBinding(obj: KubeObject, old: KubeObject | undefined, namespaced: boolean): FieldError[] {
  const errs = validateRoleRef(obj.roleRef, namespaced ? ['Role', 'ClusterRole'] : ['ClusterRole']);
  (obj.subjects ?? []).forEach((s: any, i: number) => {
    errs.push(...validateSubject(s, namespaced, `subjects[${i}]`));
  });
  if (old) errs.push(...validateRoleRefUpdate(obj.roleRef, old.roleRef));
  return errs;
}

export const roleBinding = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'RoleBinding',
  plural: 'rolebindings',
  namespaced: true,
  schema: 'V1RoleBinding',
  table: bindingTable(
    'roleBinding',
    'RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ),
  defaults: defaultBinding,
  validate: (obj, old) => validateBinding(obj, old, true),
});

export const clusterRoleBinding = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRoleBinding',
  plural: 'clusterrolebindings',
  namespaced: false,
  schema: 'V1ClusterRoleBinding',
  table: bindingTable(
    'clusterRoleBinding',
    'RoleRef can only reference a ClusterRole in the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.',
  ),
  defaults: defaultBinding,
  validate: (obj, old) => validateBinding(obj, old, false),
});
