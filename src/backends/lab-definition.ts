import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';
import { knownBackends } from './factory.js';

/** A lab definition: `labs/<id>.yaml`, the topology a lab starts from. */
export interface LabDefinition {
  id: string;
  title: string;
  description: string;
  backend: string;
  nodes: { controlPlanes: number; workers: number };
  kubernetesVersion: string;
  podSubnet: string;
  serviceSubnet: string;
  file: string;
}

export const MAX_WORKERS = 49;

const DEFAULTS = {
  description: '',
  backend: 'sim',
  kubernetesVersion: 'v1.33.1',
  podSubnet: '10.244.0.0/16',
  serviceSubnet: '10.96.0.0/16',
};
const FIELDS = [
  'id',
  'title',
  'description',
  'backend',
  'nodes',
  'kubernetesVersion',
  'podSubnet',
  'serviceSubnet',
];
const NODE_FIELDS = ['controlPlanes', 'workers'];

/** The ids of the definitions in `dir` (`<id>.yaml`), sorted. */
export function labDefinitionIds(dir: string): string[] {
  try {
    return fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -'.yaml'.length))
      .sort();
  } catch {
    return [];
  }
}

export function loadLabDefinition(dir: string, id: string): LabDefinition {
  const ids = labDefinitionIds(dir);
  if (!ids.includes(id))
    throw new UserError(
      `there is no lab definition "${id}"; the labs are: ${ids.join(', ') || `(none in ${dir})`}`,
      { fix: `clusterlab up --lab ${ids.includes('default') ? 'default' : (ids[0] ?? 'default')}` },
    );
  const file = path.join(dir, `${id}.yaml`);
  return parseLabDefinition(fs.readFileSync(file, 'utf8'), file);
}

/** Parse and check one definition; every error names `file:line:col` and what to write instead. */
export function parseLabDefinition(text: string, file: string): LabDefinition {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const at = (node: Node | null | undefined): string => {
    const offset = node?.range?.[0];
    if (offset === undefined) return file;
    const pos = lines.linePos(offset);
    return `${file}:${pos.line}:${pos.col}`;
  };
  const fail = (node: Node | null | undefined, msg: string): never => {
    throw new UserError(`${at(node)}: ${msg}`);
  };
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new UserError(`${file}:${pos.line}:${pos.col}: ${syntax.message.split('\n')[0]}`);
  }
  const root = doc.contents;
  if (!isMap(root)) return fail(root, 'a lab definition is a mapping of fields (id, title, nodes, …)');
  checkKeys(root, FIELDS, fail);

  const field = (map: YAMLMap, key: string): Node | undefined => map.get(key, true) as Node | undefined;
  const str = (key: string, fallback?: string, pattern?: RegExp, example?: string): string => {
    const node = field(root, key);
    if (node === undefined) {
      if (fallback !== undefined) return fallback;
      return fail(root, `the required field "${key}" is missing`);
    }
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || value === '') return fail(node, `"${key}" must be a non-empty string`);
    if (pattern && !pattern.test(value))
      return fail(node, `"${key}" is "${value}"; write it like ${example}`);
    return value;
  };

  const id = str('id', undefined, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, '"cka-practice"');
  const base = path.basename(file, '.yaml');
  if (id !== base) fail(field(root, 'id'), `"id" is "${id}" but the file is ${base}.yaml; make them equal`);
  const backend = str('backend', DEFAULTS.backend);
  if (!knownBackends().includes(backend as never))
    fail(field(root, 'backend'), `"backend" must be one of: ${knownBackends().join(', ')}`);

  const nodesNode = field(root, 'nodes');
  if (nodesNode === undefined) return fail(root, 'the required field "nodes" is missing');
  if (!isMap(nodesNode)) return fail(nodesNode, '"nodes" is a mapping: { controlPlanes: 1, workers: 2 }');
  checkKeys(nodesNode, NODE_FIELDS, fail);
  const count = (key: string, min: number, max: number): number => {
    const node = field(nodesNode, key);
    if (node === undefined) return fail(nodesNode, `"nodes.${key}" is missing`);
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      return fail(node, `"nodes.${key}" must be a whole number from ${min} to ${max}`);
    return value;
  };
  // The lab backends make one control plane for now; HA layouts come with a later issue.
  const controlPlanes = count('controlPlanes', 1, 1);
  const workers = count('workers', 0, MAX_WORKERS);

  const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
  const subnet = (key: string, minPrefix: number, maxPrefix: number): string => {
    const value = str(key, DEFAULTS[key as 'podSubnet'], cidr, '"10.244.0.0/16"');
    const m = cidr.exec(value)!;
    const prefix = Number(m[5]);
    if (m.slice(1, 5).some((o) => Number(o) > 255) || prefix < minPrefix || prefix > maxPrefix)
      fail(
        field(root, key),
        `"${key}" must be an IPv4 CIDR with a prefix from /${minPrefix} to /${maxPrefix}`,
      );
    return value;
  };

  return {
    id,
    title: str('title'),
    description: str('description', DEFAULTS.description),
    backend,
    nodes: { controlPlanes, workers },
    kubernetesVersion: str('kubernetesVersion', DEFAULTS.kubernetesVersion, /^v1\.\d+\.\d+$/, '"v1.33.1"'),
    // Every node gets a /24 of the pod subnet, as kind's kube-controller-manager hands out.
    podSubnet: subnet('podSubnet', 8, 18),
    // kube-apiserver refuses service ranges wider than /12.
    serviceSubnet: subnet('serviceSubnet', 12, 24),
    file,
  };
}

function checkKeys(
  map: YAMLMap,
  allowed: string[],
  fail: (node: Node | null | undefined, msg: string) => never,
) {
  for (const pair of map.items) {
    const key = pair.key as Node;
    const name = isScalar(key) ? String(key.value) : String(key);
    if (!allowed.includes(name))
      fail(key, `unknown field "${name}"; the fields here are: ${allowed.join(', ')}`);
  }
}
