import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  labDefinitionIds,
  loadLabDefinition,
  parseLabDefinition,
} from '../../src/backends/lab-definition.js';
import { resolveLabSpec } from '../../src/backends/lab-spec.js';
import { simLabRecord } from '../../src/backends/sim/record.js';
import { ROOT } from './helpers/cli.js';

const LABS = path.join(ROOT, 'labs');
const file = 'labs/x.yaml';
const problem = (text: string) => {
  try {
    parseLabDefinition(text, file);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('parsed');
};
const valid = 'id: x\ntitle: X\nnodes:\n  controlPlanes: 1\n  workers: 2\n';

describe('lab definitions (labs/*.yaml)', () => {
  it('ships default (1 control plane + 2 workers), single-node and small-workers', () => {
    const ids = labDefinitionIds(LABS);
    expect(ids).toEqual([...ids].sort());
    expect(ids).toEqual(expect.arrayContaining(['default', 'single-node', 'small-workers', 'kind']));
    expect(loadLabDefinition(LABS, 'default')).toMatchObject({
      id: 'default',
      backend: 'sim',
      nodes: { controlPlanes: 1, workers: 2 },
      kubernetesVersion: 'v1.33.1',
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
    });
    expect(loadLabDefinition(LABS, 'single-node').nodes).toEqual({ controlPlanes: 1, workers: 0 });
  });

  it('an unknown id lists the ids there are', () => {
    const ids = labDefinitionIds(LABS);
    expect(ids.length).toBeGreaterThan(3);
    expect(() => loadLabDefinition(LABS, 'nope')).toThrow(
      `there is no lab definition "nope"; the labs are: ${ids.join(', ')}`,
    );
  });

  it('fills in the optional fields', () => {
    expect(parseLabDefinition(valid, file)).toMatchObject({
      description: '',
      backend: 'sim',
      kubernetesVersion: 'v1.33.1',
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/16',
    });
  });

  it('errors name file:line:col and what to write instead', () => {
    expect(problem('id: x\ntitle: X\nnodes:\n  controlPlanes: 1\n  workers: two\n')).toBe(
      'labs/x.yaml:5:12: "nodes.workers" must be a whole number from 0 to 49',
    );
    expect(problem(`${valid}node: 3\n`)).toBe(
      'labs/x.yaml:6:1: unknown field "node"; the fields here are: id, title, description, backend, nodes, kubernetesVersion, runtime, podSubnet, serviceSubnet, defaultStorageClass, addons, vagrant',
    );
    expect(problem(valid.replace('id: x', 'id: y'))).toBe(
      'labs/x.yaml:1:5: "id" is "y" but the file is x.yaml; make them equal',
    );
    expect(problem(`${valid}kubernetesVersion: 1.33\n`)).toBe(
      'labs/x.yaml:6:20: "kubernetesVersion" must be a non-empty string',
    );
    expect(problem(`${valid}kubernetesVersion: "1.33"\n`)).toBe(
      'labs/x.yaml:6:20: "kubernetesVersion" is "1.33"; write it like "v1.33.1"',
    );
    expect(problem(`${valid}podSubnet: 10.244.0.0/24\n`)).toBe(
      'labs/x.yaml:6:12: "podSubnet" must be an IPv4 CIDR with a prefix from /8 to /18',
    );
    expect(problem(valid.replace('controlPlanes: 1', 'controlPlanes: 3'))).toBe(
      'labs/x.yaml:4:18: "nodes.controlPlanes" must be a whole number from 1 to 1',
    );
    expect(problem(`${valid}backend: docker\n`)).toBe(
      'labs/x.yaml:6:10: "backend" must be one of: sim, kind, vagrant, kubeconfig',
    );
    expect(problem('id: x\ntitle: X\n')).toBe('labs/x.yaml:1:1: the required field "nodes" is missing');
  });

  it('YAML syntax errors carry their position too', () => {
    expect(problem('id: x\ntitle: [unclosed\nnodes: {}\n')).toBe(
      'labs/x.yaml:3:1: Flow sequence in block collection must be sufficiently indented and end with a ]',
    );
    expect(problem('- a list\n')).toBe(
      'labs/x.yaml:1:1: a lab definition is a mapping of fields (id, title, nodes, …)',
    );
  });

  it('--nodes overrides the node count: one control plane, the rest workers', () => {
    expect(resolveLabSpec({ name: 'a', nodes: 5 }, LABS).spec).toMatchObject({
      controlPlanes: 1,
      workers: 4,
      labId: 'default',
    });
    expect(resolveLabSpec({ name: 'a', labId: 'single-node' }, LABS).spec).toMatchObject({ workers: 0 });
    expect(resolveLabSpec({ name: 'a', labId: 'single-node', nodes: 2 }, LABS).spec).toMatchObject({
      workers: 1,
    });
    expect(() => resolveLabSpec({ name: 'a', nodes: 51 }, LABS)).toThrow('a whole number from 1 to 50');
  });
});

describe('lab definitions: node capacity, labels, runtime and storage class', () => {
  it('small-workers gives its workers little capacity and labels, worker2 an extra one', () => {
    const def = loadLabDefinition(LABS, 'small-workers');
    expect(def.nodes.worker).toEqual({
      capacity: { cpu: '2', memory: '2Gi', pods: '110', 'ephemeral-storage': '20Gi' },
      labels: { 'node-size': 'small' },
    });
    expect(def.nodes.byName).toEqual({ worker2: { labels: { disktype: 'ssd' } } });
    expect(def.runtime).toEqual({ name: 'cri-o', version: '1.33.2' });
    expect(def.defaultStorageClass).toBe('standard');
  });

  it('carries the definition into the sim topology (and --nodes keeps the per-role settings)', () => {
    const { spec } = resolveLabSpec({ name: 'tiny', labId: 'small-workers', nodes: 4 }, LABS);
    const config = simLabRecord(spec).config;
    expect(config.nodes.map((n) => n.name)).toEqual([
      'tiny-control-plane',
      'tiny-worker',
      'tiny-worker2',
      'tiny-worker3',
    ]);
    expect(config.nodes[0]!.capacity).toMatchObject({ cpu: '4', memory: '8Gi' });
    expect(config.nodes[3]!.capacity).toMatchObject({ cpu: '2', memory: '2Gi' });
    expect(config.nodes[2]!.labels).toEqual({ 'node-size': 'small', disktype: 'ssd' });
    expect(config.nodes[3]!.labels).toEqual({ 'node-size': 'small' });
    expect(config.crioVersion).toBe('1.33.2');
    expect(config.defaultStorageClass).toBe('standard');
  });

  it('fills in runtime and storage class when absent', () => {
    expect(parseLabDefinition(valid, file)).toMatchObject({
      runtime: { name: 'cri-o', version: '1.33.2' },
      defaultStorageClass: 'standard',
    });
  });

  it('points at the offending text for bad capacity, labels, node names and runtimes', () => {
    const nodes = (extra: string) => `id: x\ntitle: X\nnodes:\n  controlPlanes: 1\n  workers: 2\n${extra}`;
    expect(problem(nodes('  worker:\n    capacity: { memory: lots }\n'))).toBe(
      'labs/x.yaml:7:25: "nodes.worker.capacity.memory": "lots" is not a quantity; write it like "2", "500m", "4Gi"',
    );
    expect(problem(nodes('  worker:\n    capacity: { gpus: "1" }\n'))).toBe(
      'labs/x.yaml:7:17: "nodes.worker.capacity": "gpus" is not a resource name; use cpu, memory, pods, ephemeral-storage, hugepages-2Mi or a qualified name such as example.com/gpu',
    );
    expect(problem(nodes('  worker:\n    labels: { kubernetes.io/hostname: x }\n'))).toBe(
      'labs/x.yaml:7:15: "nodes.worker.labels": label "kubernetes.io/hostname" is set by kubelet or kubeadm and cannot be changed here',
    );
    expect(problem(nodes('  byName:\n    worker3: { labels: { a: b } }\n'))).toBe(
      'labs/x.yaml:7:5: "nodes.byName.worker3" names no node of this lab; its nodes are: control-plane, worker, worker2',
    );
    expect(problem(nodes('  worker:\n    capacity: { cpu: "2" }\n    allocatable: { cpu: "3" }\n'))).toBe(
      'labs/x.yaml:8:25: "nodes.worker.allocatable.cpu" (3) is more than its capacity (2)',
    );
    expect(problem(`${valid}runtime: { name: containerd }\n`)).toBe(
      'labs/x.yaml:6:18: "runtime.name" is "containerd"; the labs run cri-o',
    );
    expect(problem(`${valid}defaultStorageClass: Fast_SSD\n`)).toMatch(
      /^labs\/x\.yaml:6:22: "defaultStorageClass": a lowercase RFC 1123 subdomain/,
    );
  });
});
