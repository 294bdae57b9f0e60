import type { Node, YAMLMap } from 'yaml';
import { qualifiedNameProblems } from '../sim/api/validation/names.js';
import { nodeSuffixes } from '../sim/config.js';
import { compareQuantities, isQuantity } from '../sim/kinds/common/quantity.js';
import type { DefinitionReader } from './lab-definition-reader.js';

/** The `nodes:` section of a lab definition: counts, and capacity and labels per role or node. */

export interface NodeTemplateDefinition {
  capacity?: Record<string, string>;
  allocatable?: Record<string, string>;
  labels?: Record<string, string>;
}

export interface NodesDefinition {
  controlPlanes: number;
  workers: number;
  /** Applies to the control-plane node. */
  controlPlane?: NodeTemplateDefinition;
  /** Applies to every worker. */
  worker?: NodeTemplateDefinition;
  /** Per node, by kind's name suffix: `control-plane`, `worker`, `worker2`, … */
  byName?: Record<string, NodeTemplateDefinition>;
}

export const MAX_WORKERS = 49;

const NODE_FIELDS = ['controlPlanes', 'workers', 'controlPlane', 'worker', 'byName'];
const TEMPLATE_FIELDS = ['capacity', 'allocatable', 'labels'];
const FIXED_RESOURCES = ['cpu', 'memory', 'pods', 'ephemeral-storage'];
/** Labels kubelet and kubeadm own; a definition may not change them. */
const RESERVED_LABEL =
  /^(kubernetes\.io\/(hostname|os|arch)|beta\.kubernetes\.io\/|node-role\.kubernetes\.io\/)/;

function resourceNameProblem(name: string): string | undefined {
  if (FIXED_RESOURCES.includes(name) || /^hugepages-\d+[KMG]i$/.test(name)) return undefined;
  // Extended resources are fully qualified (`example.com/gpu`).
  if (name.includes('/') && qualifiedNameProblems(name).length === 0) return undefined;
  return `"${name}" is not a resource name; use cpu, memory, pods, ephemeral-storage, hugepages-2Mi or a qualified name such as example.com/gpu`;
}

function quantityProblem(name: string, value: string): string | undefined {
  if (!isQuantity(value)) return `"${value}" is not a quantity; write it like "2", "500m", "4Gi"`;
  if (compareQuantities(value, '0') < 0) return 'must not be negative';
  if (name === 'pods' && !/^\d+$/.test(value)) return 'must be a whole number of pods';
  return undefined;
}

function labelKeyProblem(key: string): string | undefined {
  const problems = qualifiedNameProblems(key);
  if (problems.length > 0) return `label key "${key}": ${problems[0]}`;
  if (RESERVED_LABEL.test(key))
    return `label "${key}" is set by kubelet or kubeadm and cannot be changed here`;
  return undefined;
}

function labelValueProblem(_key: string, value: string): string | undefined {
  if (value.length > 63) return 'a label value must be no more than 63 characters';
  if (value !== '' && !/^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(value))
    return `"${value}" is not a label value (letters, digits, '-', '_' or '.', starting and ending with a letter or digit)`;
  return undefined;
}

function template(r: DefinitionReader, parent: YAMLMap, key: string, path: string) {
  const map = r.map(parent, key, path, '{ capacity: { cpu: "2", memory: 4Gi }, labels: { disktype: ssd } }');
  if (!map) return undefined;
  r.checkKeys(map, TEMPLATE_FIELDS, `of ${path}`);
  const out: NodeTemplateDefinition = {};
  const resources = (k: 'capacity' | 'allocatable') =>
    r.stringMap(map, k, `${path}.${k}`, `{ cpu: "2", memory: 4Gi }`, resourceNameProblem, quantityProblem);
  const capacity = resources('capacity');
  const allocatable = resources('allocatable');
  const labels = r.stringMap(
    map,
    'labels',
    `${path}.labels`,
    '{ disktype: ssd }',
    labelKeyProblem,
    labelValueProblem,
  );
  for (const [res, value] of Object.entries(allocatable ?? {})) {
    const cap = capacity?.[res];
    if (cap !== undefined && compareQuantities(value, cap) > 0) {
      const at = (r.field(map, 'allocatable') as YAMLMap).get(res, true) as Node;
      r.fail(at, `"${path}.allocatable.${res}" (${value}) is more than its capacity (${cap})`);
    }
  }
  if (capacity) out.capacity = capacity;
  if (allocatable) out.allocatable = allocatable;
  if (labels) out.labels = labels;
  return out;
}

export function readNodes(r: DefinitionReader, root: YAMLMap): NodesDefinition {
  const nodes = r.map(root, 'nodes', 'nodes', '{ controlPlanes: 1, workers: 2 }');
  if (!nodes) return r.fail(root, 'the required field "nodes" is missing');
  r.checkKeys(nodes, NODE_FIELDS);
  // The lab backends make one control plane for now; HA layouts come with a later issue.
  const controlPlanes = r.count(nodes, 'controlPlanes', 'nodes.controlPlanes', 1, 1);
  const workers = r.count(nodes, 'workers', 'nodes.workers', 0, MAX_WORKERS);
  const out: NodesDefinition = { controlPlanes, workers };
  const controlPlane = template(r, nodes, 'controlPlane', 'nodes.controlPlane');
  const worker = template(r, nodes, 'worker', 'nodes.worker');
  if (controlPlane) out.controlPlane = controlPlane;
  if (worker) out.worker = worker;

  const byNameMap = r.map(nodes, 'byName', 'nodes.byName', '{ worker2: { labels: { disktype: ssd } } }');
  if (byNameMap) {
    const known = nodeSuffixes(controlPlanes + workers);
    out.byName = {};
    for (const pair of byNameMap.items) {
      const key = pair.key as Node;
      const suffix = String((key as any).value ?? key);
      if (!known.includes(suffix))
        r.fail(key, `"nodes.byName.${suffix}" names no node of this lab; its nodes are: ${known.join(', ')}`);
      out.byName[suffix] = template(r, byNameMap, suffix, `nodes.byName.${suffix}`) ?? {};
    }
  }
  for (const [where, t] of [
    ['nodes.controlPlane', controlPlane],
    ['nodes.worker', worker],
    ...Object.entries(out.byName ?? {}).map(([k, v]) => [`nodes.byName.${k}`, v] as const),
  ] as const) {
    for (const [res, value] of Object.entries(t?.allocatable ?? {})) {
      const cap = t?.capacity?.[res];
      if (cap !== undefined && compareQuantities(value, cap) > 0)
        r.fail(nodes, `"${where}.allocatable.${res}" (${value}) is more than its capacity (${cap})`);
    }
  }
  return out;
}
