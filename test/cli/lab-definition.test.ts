import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  labDefinitionIds,
  loadLabDefinition,
  parseLabDefinition,
} from '../../src/backends/lab-definition.js';
import { resolveLabSpec } from '../../src/backends/lab-spec.js';
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
  it('ships default (1 control plane + 2 workers) and single-node', () => {
    expect(labDefinitionIds(LABS)).toEqual(['default', 'single-node']);
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
    expect(() => loadLabDefinition(LABS, 'nope')).toThrow(
      'there is no lab definition "nope"; the labs are: default, single-node',
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
      'labs/x.yaml:6:1: unknown field "node"; the fields here are: id, title, description, backend, nodes, kubernetesVersion, podSubnet, serviceSubnet',
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
