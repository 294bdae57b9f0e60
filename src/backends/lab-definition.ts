import * as fs from 'node:fs';
import * as path from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import { UserError } from '../errors.js';
import { nameProblems } from '../sim/api/validation/names.js';
import {
  DEFAULT_CRIO_VERSION,
  DEFAULT_KUBERNETES_VERSION,
  DEFAULT_STORAGE_CLASS_NAME,
} from '../sim/config.js';
import { knownBackends } from './factory.js';
import { ADDON_IDS, type AddonId, isAddonId } from './kind/addons/names.js';
import { MAX_WORKERS, type NodesDefinition, readNodes } from './lab-definition-nodes.js';
import { DefinitionReader } from './lab-definition-reader.js';
import { readVagrantSection } from './lab-definition-vagrant.js';
import type { VagrantLabSettings } from './types.js';

export type { NodesDefinition, NodeTemplateDefinition } from './lab-definition-nodes.js';
export { MAX_WORKERS };

/** A lab definition: `labs/<id>.yaml`, the topology a lab starts from (format: docs/labs.md). */
export interface LabDefinition {
  id: string;
  title: string;
  description: string;
  backend: string;
  nodes: NodesDefinition;
  kubernetesVersion: string;
  /** The container runtime the nodes report (`cri-o://<version>`); only CRI-O for now. */
  runtime: { name: 'cri-o'; version: string };
  podSubnet: string;
  serviceSubnet: string;
  /** The StorageClass marked default (kind's is `standard`, served by local-path). */
  defaultStorageClass: string;
  /** Addons installed after `up` (kind backend; see docs/backend-kind.md). */
  addons: AddonId[];
  /** How the vagrant backend makes the VMs (`vagrant:`; see docs/backend-vagrant.md). */
  vagrant?: VagrantLabSettings;
  file: string;
}

const DEFAULTS = {
  description: '',
  backend: 'sim',
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
  'runtime',
  'podSubnet',
  'serviceSubnet',
  'defaultStorageClass',
  'addons',
  'vagrant',
];
const RUNTIMES = ['cri-o'];

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
  const syntax = doc.errors[0];
  if (syntax) {
    const pos = lines.linePos(syntax.pos[0]);
    throw new UserError(`${file}:${pos.line}:${pos.col}: ${syntax.message.split('\n')[0]}`);
  }
  const r = new DefinitionReader(file, lines);
  const root = doc.contents;
  if (!isMap(root)) return r.fail(root, 'a lab definition is a mapping of fields (id, title, nodes, …)');
  r.checkKeys(root, FIELDS);

  const id = r.str(root, 'id', 'id', undefined, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, '"cka-practice"');
  const base = path.basename(file, '.yaml');
  if (id !== base)
    r.fail(r.field(root, 'id'), `"id" is "${id}" but the file is ${base}.yaml; make them equal`);
  const backend = r.str(root, 'backend', 'backend', DEFAULTS.backend);
  if (!knownBackends().includes(backend as never))
    r.fail(r.field(root, 'backend'), `"backend" must be one of: ${knownBackends().join(', ')}`);
  const title = r.str(root, 'title', 'title');
  const description = r.str(root, 'description', 'description', DEFAULTS.description);
  const nodes = readNodes(r, root);

  const cidr = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
  const subnet = (key: 'podSubnet' | 'serviceSubnet', minPrefix: number, maxPrefix: number): string => {
    const value = r.str(root, key, key, DEFAULTS[key], cidr, '"10.244.0.0/16"');
    const m = cidr.exec(value)!;
    const prefix = Number(m[5]);
    if (m.slice(1, 5).some((o) => Number(o) > 255) || prefix < minPrefix || prefix > maxPrefix)
      r.fail(
        r.field(root, key),
        `"${key}" must be an IPv4 CIDR with a prefix from /${minPrefix} to /${maxPrefix}`,
      );
    return value;
  };

  const kubernetesVersion = r.str(
    root,
    'kubernetesVersion',
    'kubernetesVersion',
    DEFAULT_KUBERNETES_VERSION,
    /^v1\.\d+\.\d+$/,
    '"v1.33.1"',
  );
  const runtimeMap = r.map(root, 'runtime', 'runtime', '{ name: cri-o, version: "1.33.2" }');
  let runtime: LabDefinition['runtime'] = { name: 'cri-o', version: DEFAULT_CRIO_VERSION };
  if (runtimeMap) {
    r.checkKeys(runtimeMap, ['name', 'version'], 'of runtime');
    const name = r.str(runtimeMap, 'name', 'runtime.name', 'cri-o');
    if (!RUNTIMES.includes(name))
      r.fail(r.field(runtimeMap, 'name'), `"runtime.name" is "${name}"; the labs run ${RUNTIMES.join(', ')}`);
    const version = r.str(
      runtimeMap,
      'version',
      'runtime.version',
      DEFAULT_CRIO_VERSION,
      /^\d+\.\d+\.\d+$/,
      '"1.33.2"',
    );
    runtime = { name: 'cri-o', version };
  }
  const defaultStorageClass = r.str(
    root,
    'defaultStorageClass',
    'defaultStorageClass',
    DEFAULT_STORAGE_CLASS_NAME,
  );
  const scProblem = nameProblems(defaultStorageClass, 'subdomain')[0];
  if (scProblem) r.fail(r.field(root, 'defaultStorageClass'), `"defaultStorageClass": ${scProblem}`);

  const addonsNode = r.field(root, 'addons');
  const addons: AddonId[] = [];
  if (addonsNode !== undefined && !(isScalar(addonsNode) && addonsNode.value === null)) {
    if (!isSeq(addonsNode)) return r.fail(addonsNode, `"addons" is a list: [${ADDON_IDS.join(', ')}]`);
    for (const item of addonsNode.items as Node[]) {
      const value = isScalar(item) ? item.value : undefined;
      if (typeof value !== 'string' || !isAddonId(value))
        return r.fail(
          item,
          `"addons": ${JSON.stringify(value ?? null)} is not an addon; the addons are: ${ADDON_IDS.join(', ')}`,
        );
      if (!addons.includes(value)) addons.push(value);
    }
  }

  return {
    id,
    title,
    description,
    backend,
    nodes,
    kubernetesVersion,
    runtime,
    // Every node gets a /24 of the pod subnet, as kind's kube-controller-manager hands out.
    podSubnet: subnet('podSubnet', 8, 18),
    // kube-apiserver refuses service ranges wider than /12.
    serviceSubnet: subnet('serviceSubnet', 12, 24),
    defaultStorageClass,
    addons,
    vagrant: readVagrantSection(r, root),
    file,
  };
}
