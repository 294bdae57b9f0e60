// Which Go package each @kubernetes/client-node model comes from. Upstream names OpenAPI
// components and Go types after the package (`io.k8s.api.apps.v1.Deployment`,
// `v1.PodSpec`), while client-node's model names (`V1Deployment`) do not say it.
//
// Derived from client-node's generated API classes: each `<Group><Version>Api.js` calls one
// group-version's URLs and deserializes that group-version's kinds. A kind belongs to the API
// that serves it; the models a kind refers to belong to the first group (core first) that
// reaches them. Used by scripts/gen-schema.mjs; writes nothing itself.
import * as fs from 'node:fs';
import * as path from 'node:path';

const META = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** Models of k8s.io/apimachinery/pkg/apis/meta/v1, which every group uses. */
const META_MODELS = [
  'V1APIGroup',
  'V1APIGroupList',
  'V1APIResource',
  'V1APIResourceList',
  'V1APIVersions',
  'V1Condition',
  'V1DeleteOptions',
  'V1FieldSelectorRequirement',
  'V1GroupVersionForDiscovery',
  'V1LabelSelector',
  'V1LabelSelectorRequirement',
  'V1ListMeta',
  'V1ManagedFieldsEntry',
  'V1ObjectMeta',
  'V1OwnerReference',
  'V1Preconditions',
  'V1ServerAddressByClientCIDR',
  'V1Status',
  'V1StatusCause',
  'V1StatusDetails',
  'V1WatchEvent',
];

/**
 * Kinds served only as subresources of another group's resources, and core types only other
 * groups use (so the core-first walk cannot reach them).
 */
const OVERRIDES = {
  V1Scale: ['autoscaling', 'v1'],
  V1Eviction: ['policy', 'v1'],
  AuthenticationV1TokenRequest: ['authentication.k8s.io', 'v1'],
  V1TopologySelectorTerm: ['', 'v1'],
  V1TopologySelectorLabelRequirement: ['', 'v1'],
};

/** `apps` → `io.k8s.api.apps.v1`; the few groups outside k8s.io/api have their own paths. */
export function goPackage(group, version) {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (group === 'apiextensions.k8s.io')
    return `io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.${version}`;
  if (group === 'apiregistration.k8s.io') return `io.k8s.kube-aggregator.pkg.apis.apiregistration.${version}`;
  if (group === 'rbac.authorization.k8s.io') return `io.k8s.api.rbac.${version}`;
  if (group === 'internal.apiserver.k8s.io') return `io.k8s.api.apiserverinternal.${version}`;
  return `io.k8s.api.${group.split('.')[0]}.${version}`;
}

function refsOf(schema, out) {
  if (!schema) return;
  if (schema.ref) out.push(schema.ref);
  refsOf(schema.items, out);
}

export function derivePackages(pkgDir, models) {
  const apisDir = path.join(pkgDir, 'dist', 'gen', 'apis');
  const packages = {};
  for (const m of META_MODELS) if (models[m]) packages[m] = META;
  if (models.VersionInfo) packages.VersionInfo = 'io.k8s.apimachinery.pkg.version';
  const apis = [];
  for (const [m, [g, v]] of Object.entries(OVERRIDES)) {
    if (!models[m]) continue;
    packages[m] = goPackage(g, v);
    apis.push({ group: g, pkg: packages[m], kinds: [m] });
  }
  for (const file of fs.readdirSync(apisDir)) {
    if (!/V\d+(?:alpha\d+|beta\d+)?Api\.js$/.test(file)) continue;
    const js = fs.readFileSync(path.join(apisDir, file), 'utf8');
    const url = /localVarPath = '\/(?:api\/(v1)|apis\/([^/']+)\/([^/']+))/.exec(js);
    if (!url) continue;
    const group = url[1] ? '' : url[2];
    const kinds = new Set();
    for (const m of js.matchAll(/ObjectSerializer\.deserialize\([^;]*?"(\w+)", ""\)/g)) {
      if (models[m[1]]) kinds.add(m[1]);
    }
    apis.push({ group, pkg: goPackage(group, url[1] ?? url[3]), kinds: [...kinds] });
  }
  // Core first: other groups embed core types (pod templates), never the other way round.
  apis.sort((a, b) => Number(b.group === '') - Number(a.group === '') || a.pkg.localeCompare(b.pkg));
  for (const api of apis) for (const k of api.kinds) packages[k] ??= api.pkg;
  for (const api of apis) {
    const queue = api.kinds.filter((k) => packages[k] === api.pkg);
    while (queue.length) {
      const name = queue.shift();
      const refs = [];
      for (const f of Object.values(models[name]?.properties ?? {})) refsOf(f, refs);
      for (const r of refs) {
        if (packages[r]) continue;
        packages[r] = api.pkg;
        queue.push(r);
      }
    }
  }
  return packages;
}
