import type { KubeObject } from '../../store/types.js';
import type { UserInfo } from '../authentication/identity.js';

/**
 * RBAC evaluation over the stored roles and bindings, as upstream's RBAC authorizer does it:
 * ClusterRoleBindings first, then the RoleBindings of the request's namespace; the first rule
 * that allows wins, and bindings whose role is missing are reported, not fatal.
 */

export interface PolicyRule {
  verbs?: string[];
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
}

export interface ResourceAttributes {
  namespace?: string;
  verb?: string;
  group?: string;
  version?: string;
  resource?: string;
  subresource?: string;
  name?: string;
}

export type Attributes =
  | { user: UserInfo; resource: ResourceAttributes }
  | { user: UserInfo; nonResource: { path?: string; verb?: string } };

export interface Decision {
  allowed: boolean;
  reason: string;
}

/** What the authorizer reads: objects of a storage key (as the store lists them). */
export type ListObjects = (storage: string, namespace?: string) => KubeObject[];
type GetObject = (storage: string, namespace: string | undefined, name: string) => KubeObject | undefined;

export interface RbacStore {
  list: ListObjects;
  get: GetObject;
}

const MASTERS = 'system:masters';

/** Where a rule came from, worded as upstream's RBAC reasons word it. */
function describe(binding: KubeObject, subject: any): string {
  const ns = binding.metadata.namespace;
  const who =
    subject.kind === 'ServiceAccount'
      ? `${subject.kind} ${JSON.stringify(`${subject.name}/${subject.namespace || ns || ''}`)}`
      : `${subject.kind} ${JSON.stringify(subject.name)}`;
  const ref = `${binding.roleRef?.kind} ${JSON.stringify(binding.roleRef?.name)}`;
  return ns
    ? `RoleBinding ${JSON.stringify(`${binding.metadata.name}/${ns}`)} of ${ref} to ${who}`
    : `ClusterRoleBinding ${JSON.stringify(binding.metadata.name)} of ${ref} to ${who}`;
}

function subjectApplies(user: UserInfo, subject: any, namespace: string): boolean {
  switch (subject?.kind) {
    case 'User':
      return user.username === subject.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const ns = subject.namespace || namespace;
      return !!ns && user.username === `system:serviceaccount:${ns}:${subject.name}`;
    }
    default:
      return false;
  }
}

function roleRules(store: RbacStore, ref: any, namespace: string): PolicyRule[] | string {
  if (ref?.kind === 'Role') {
    const role = store.get('rbac.authorization.k8s.io/roles', namespace, ref.name);
    return role ? (role.rules ?? []) : `role.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`;
  }
  if (ref?.kind === 'ClusterRole') {
    const role = store.get('rbac.authorization.k8s.io/clusterroles', undefined, ref.name);
    return role
      ? (role.rules ?? [])
      : `clusterrole.rbac.authorization.k8s.io ${JSON.stringify(ref.name)} not found`;
  }
  return `unsupported role reference kind: ${JSON.stringify(ref?.kind ?? '')}`;
}

/**
 * Call `visit` with every rule that applies to `user` in `namespace` (and every resolution
 * error); stop when it returns false.
 */
export function visitRules(
  store: RbacStore,
  user: UserInfo,
  namespace: string,
  visit: (rule: PolicyRule | undefined, source: string, error?: string) => boolean,
): void {
  const bindings = [
    ...store.list('rbac.authorization.k8s.io/clusterrolebindings'),
    ...(namespace ? store.list('rbac.authorization.k8s.io/rolebindings', namespace) : []),
  ];
  for (const binding of bindings) {
    const bindingNs = binding.metadata.namespace ?? '';
    const subject = (binding.subjects ?? []).find((s: any) => subjectApplies(user, s, bindingNs));
    if (!subject) continue;
    const rules = roleRules(store, binding.roleRef, bindingNs);
    if (typeof rules === 'string') {
      if (!visit(undefined, '', rules)) return;
      continue;
    }
    const source = describe(binding, subject);
    for (const rule of rules) if (!visit(rule, source)) return;
  }
}

const has = (list: string[] | undefined, value: string) => (list ?? []).includes(value);

function resourceMatches(rule: PolicyRule, resource: string, subresource: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  return (rule.resources ?? []).some(
    (r) => r === '*' || r === combined || (subresource !== '' && r === `*/${subresource}`),
  );
}

function urlMatches(rule: PolicyRule, path: string): boolean {
  return (rule.nonResourceURLs ?? []).some(
    (u) => u === '*' || u === path || (u.endsWith('*') && path.startsWith(u.replace(/\*+$/, ''))),
  );
}

export function ruleAllows(attrs: Attributes, rule: PolicyRule): boolean {
  if ('resource' in attrs) {
    const r = attrs.resource;
    const verb = r.verb ?? '';
    return (
      (has(rule.verbs, '*') || has(rule.verbs, verb)) &&
      (has(rule.apiGroups, '*') || has(rule.apiGroups, r.group ?? '')) &&
      resourceMatches(rule, r.resource ?? '', r.subresource ?? '') &&
      ((rule.resourceNames ?? []).length === 0 || has(rule.resourceNames, r.name ?? ''))
    );
  }
  const verb = attrs.nonResource.verb ?? '';
  return (has(rule.verbs, '*') || has(rule.verbs, verb)) && urlMatches(rule, attrs.nonResource.path ?? '');
}

/** Upstream joins distinct errors as `[a, b]` (one alone is shown bare). */
export function aggregateErrors(errors: string[]): string {
  const distinct = [...new Set(errors)];
  return distinct.length <= 1 ? (distinct[0] ?? '') : `[${distinct.join(', ')}]`;
}

/** The decision kube-apiserver's authorizer chain makes (system:masters, then RBAC). */
export function authorize(store: RbacStore, attrs: Attributes): Decision {
  if (attrs.user.groups.includes(MASTERS)) return { allowed: true, reason: '' };
  const namespace = 'resource' in attrs ? (attrs.resource.namespace ?? '') : '';
  const errors: string[] = [];
  let reason = '';
  visitRules(store, attrs.user, namespace, (rule, source, error) => {
    if (error) errors.push(error);
    if (rule && ruleAllows(attrs, rule)) {
      reason = `RBAC: allowed by ${source}`;
      return false;
    }
    return true;
  });
  if (reason) return { allowed: true, reason };
  return { allowed: false, reason: errors.length ? `RBAC: ${aggregateErrors(errors)}` : '' };
}

/** Every rule that applies to `user` in `namespace`, and what could not be resolved. */
export function rulesFor(
  store: RbacStore,
  user: UserInfo,
  namespace: string,
): { rules: PolicyRule[]; errors: string[] } {
  const rules: PolicyRule[] = [];
  const errors: string[] = [];
  visitRules(store, user, namespace, (rule, _source, error) => {
    if (rule) rules.push(rule);
    if (error) errors.push(error);
    return true;
  });
  return { rules, errors };
}
