import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CoreLab, skipReason, startCoreLab, tableRows } from './kinds-core-support.js';

const RBAC = 'rbac.authorization.k8s.io/v1';
const AGE = expect.stringMatching(/^\d+s$/);
const TIMESTAMP = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

const role = (name: string, rules: unknown) => ({
  apiVersion: RBAC,
  kind: 'Role',
  metadata: { name, namespace: 'default' },
  rules,
});
const binding = (name: string, roleName: string, subjects: unknown[] = [{ kind: 'User', name: 'ann' }]) => ({
  apiVersion: RBAC,
  kind: 'RoleBinding',
  metadata: { name, namespace: 'default' },
  roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: roleName },
  subjects,
});

describe.skipIf(!!skipReason)('RBAC objects through the real kubectl', () => {
  let core: CoreLab;
  beforeAll(async () => {
    core = await startCoreLab();
  });
  afterAll(() => core?.lab.stop());

  it('lists the RBAC resources as a real cluster does', async () => {
    const { stdout } = await core.kubectl(['api-resources', '--api-group=rbac.authorization.k8s.io']);
    expect(tableRows(stdout)).toEqual([
      row('clusterrolebindings', false, 'ClusterRoleBinding'),
      row('clusterroles', false, 'ClusterRole'),
      row('rolebindings', true, 'RoleBinding'),
      row('roles', true, 'Role'),
    ]);
  });

  it('has the bootstrap roles and the cluster-admin binding of a new cluster', async () => {
    const names = tableRows((await core.kubectl(['get', 'clusterroles'])).stdout).map((r) => r.NAME);
    expect(names).toEqual(expect.arrayContaining(['admin', 'cluster-admin', 'edit', 'view']));
    const admin = await core.json(['clusterrole', 'cluster-admin']);
    expect(admin.metadata.labels).toEqual({ 'kubernetes.io/bootstrapping': 'rbac-defaults' });
    expect(admin.metadata.annotations).toEqual({ 'rbac.authorization.kubernetes.io/autoupdate': 'true' });
    expect(admin.rules).toEqual([
      { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
      { nonResourceURLs: ['*'], verbs: ['*'] },
    ]);
    // view's rules are what the aggregation controller gives it: reads only, no secrets.
    const view = await core.json(['clusterrole', 'view']);
    expect(view.aggregationRule.clusterRoleSelectors).toEqual([
      { matchLabels: { 'rbac.authorization.k8s.io/aggregate-to-view': 'true' } },
    ]);
    expect(view.rules.flatMap((r: any) => r.verbs)).not.toContain('create');
    expect(view.rules.flatMap((r: any) => r.resources)).toContain('pods/log');
    expect(view.rules.flatMap((r: any) => r.resources)).not.toContain('secrets');
    const edit = await core.json(['clusterrole', 'edit']);
    expect(edit.rules.length).toBeGreaterThan(view.rules.length);

    const { stdout } = await core.kubectl(['get', 'clusterrolebinding', 'cluster-admin', '-o', 'wide']);
    expect(tableRows(stdout)).toEqual([
      {
        NAME: 'cluster-admin',
        ROLE: 'ClusterRole/cluster-admin',
        AGE,
        USERS: '',
        GROUPS: 'system:masters',
        SERVICEACCOUNTS: '',
      },
    ]);
  });

  it('creates roles and bindings with the typed commands and prints them as upstream does', async () => {
    await core.kubectl(['create', 'role', 'pod-reader', '--verb=get,list', '--resource=pods,configmaps']);
    await core.kubectl([
      'create',
      'rolebinding',
      'read-pods',
      '--role=pod-reader',
      '--user=ann',
      '--group=devs',
      '--serviceaccount=default:bot',
    ]);
    await core.kubectl(['create', 'clusterrole', 'node-viewer', '--verb=get,list', '--resource=nodes']);
    await core.kubectl([
      'create',
      'clusterrolebinding',
      'view-nodes',
      '--clusterrole=node-viewer',
      '--user=bob',
    ]);

    expect((await core.json(['role', 'pod-reader'])).rules).toEqual([
      { apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['get', 'list'] },
    ]);
    const [roles, bindings] = (await core.kubectl(['get', 'roles,rolebindings', '-o', 'wide'])).stdout
      .trim()
      .split(/\n\s*\n/);
    expect(tableRows(roles!)).toEqual([
      { NAME: 'role.rbac.authorization.k8s.io/pod-reader', 'CREATED AT': TIMESTAMP },
    ]);
    expect(tableRows(bindings!)).toEqual([
      {
        NAME: 'rolebinding.rbac.authorization.k8s.io/read-pods',
        ROLE: 'Role/pod-reader',
        AGE,
        USERS: 'ann',
        GROUPS: 'devs',
        SERVICEACCOUNTS: 'default/bot',
      },
    ]);
    // The defaults fill the API group of User and Group subjects.
    expect((await core.json(['rolebinding', 'read-pods'])).subjects).toEqual([
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'User', name: 'ann' },
      { apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'devs' },
      { kind: 'ServiceAccount', name: 'bot', namespace: 'default' },
    ]);
    const crb = tableRows((await core.kubectl(['get', 'clusterrolebinding', 'view-nodes'])).stdout);
    expect(crb).toEqual([{ NAME: 'view-nodes', ROLE: 'ClusterRole/node-viewer', AGE }]);
  });

  it('applies manifests and keeps roleRef immutable', async () => {
    await core.write('apply', [
      role('cm-reader', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }]),
    ]);
    await core.write('apply', [binding('read-cms', 'cm-reader')]);
    // Subjects may change...
    await core.write('apply', [binding('read-cms', 'cm-reader', [{ kind: 'User', name: 'carol' }])]);
    expect((await core.json(['rolebinding', 'read-cms'])).subjects[0].name).toBe('carol');
    // ...the role may not.
    const moved = await core.write('apply', [binding('read-cms', 'pod-reader')], true);
    expect(moved.stderr.trim()).toBe(
      'The RoleBinding "read-cms" is invalid: roleRef: Invalid value: rbac.RoleRef{APIGroup:"rbac.authorization.k8s.io", Kind:"Role", Name:"pod-reader"}: cannot change roleRef',
    );
  });

  it('rejects rules and bindings upstream rejects, with its messages', async () => {
    const noVerbs = await core.write(
      'create',
      [role('bad1', [{ apiGroups: [''], resources: ['pods'] }])],
      true,
    );
    expect(noVerbs.stderr).toContain(
      'The Role "bad1" is invalid: rules[0].verbs: Required value: verbs must contain at least one value',
    );
    const noGroups = await core.write(
      'create',
      [role('bad2', [{ resources: ['pods'], verbs: ['get'] }])],
      true,
    );
    expect(noGroups.stderr).toContain(
      'rules[0].apiGroups: Required value: resource rules must supply at least one api group',
    );
    const urls = await core.write(
      'create',
      [role('bad3', [{ nonResourceURLs: ['/healthz'], verbs: ['get'] }])],
      true,
    );
    expect(urls.stderr).toContain(
      'rules[0].nonResourceURLs: Invalid value: []string{"/healthz"}: namespaced rules cannot apply to non-resource URLs',
    );
    const badKind = await core.write('create', [binding('bad4', 'x', [{ kind: 'Robot', name: 'r2' }])], true);
    expect(badKind.stderr).toContain(
      'subjects[0].kind: Unsupported value: "Robot": supported values: "ServiceAccount", "User", "Group"',
    );
    const crb = {
      apiVersion: RBAC,
      kind: 'ClusterRoleBinding',
      metadata: { name: 'bad5' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'x' },
      subjects: [{ kind: 'ServiceAccount', name: 'bot' }],
    };
    const crbErr = await core.write('create', [crb], true);
    expect(crbErr.stderr).toContain(
      'roleRef.kind: Unsupported value: "Role": supported values: "ClusterRole"',
    );
    expect(crbErr.stderr).toContain('subjects[0].namespace: Required value');
  });

  it('accepts an aggregationRule and, with no aggregation controller, leaves rules empty', async () => {
    await core.kubectl([
      'create',
      'clusterrole',
      'monitoring',
      '--aggregation-rule=example.com/monitoring=true',
    ]);
    const cr = await core.json(['clusterrole', 'monitoring']);
    expect(cr.aggregationRule).toEqual({
      clusterRoleSelectors: [{ matchLabels: { 'example.com/monitoring': 'true' } }],
    });
    expect(cr.rules).toBeNull();
  });
});

function row(name: string, namespaced: boolean, kind: string) {
  return {
    NAME: name,
    SHORTNAMES: '',
    APIVERSION: RBAC,
    NAMESPACED: String(namespaced),
    KIND: kind,
  };
}
