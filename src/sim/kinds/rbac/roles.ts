import type { KubeObject } from '../../store/types.js';
import { defineKind } from '../define.js';
import { RBAC_GROUP, validateAggregationRule, validateRules } from './validation.js';

/**
 * rbac.authorization.k8s.io/v1 Roles and ClusterRoles. Upstream has no printer for them, so
 * `kubectl get` shows the API server's default columns, NAME and CREATED AT, as here.
 */

/** `rules` has no omitempty upstream: a role without rules reads back `rules: null`. */
function defaultRules(obj: KubeObject): void {
  if (obj.rules === undefined) obj.rules = null;
}

export const role = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'Role',
  plural: 'roles',
  namespaced: true,
  schema: 'V1Role',
  defaults: defaultRules,
  validate: (obj) => validateRules(obj.rules, true),
});

/**
 * A ClusterRole's `aggregationRule` is stored and validated, but the sim runs no aggregation
 * controller: its `rules` stay what the client wrote (the bootstrap roles come pre-aggregated).
 */
export const clusterRole = defineKind({
  group: RBAC_GROUP,
  version: 'v1',
  kind: 'ClusterRole',
  plural: 'clusterroles',
  namespaced: false,
  schema: 'V1ClusterRole',
  defaults: defaultRules,
  validate: (obj) => [...validateRules(obj.rules, false), ...validateAggregationRule(obj.aggregationRule)],
});
