import * as fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/sim/log.js';
import { type RunningSim, serveLab } from '../../src/sim/serve.js';
import { type Kubectl, kubectlFor, kubectlOnPath, kubectlVersions } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';
import { MEMCACHED_CRD, memcachedCrdYaml, memcachedYaml } from './crd-fixtures.js';
import { dropDiscoveryCache } from './crd-support.js';

/**
 * The operator tutorial's CRD flow, as a learner types it, with every kubectl ≥ 1.29: install the
 * memcached CRD, wait for it, use its resources, scale one, delete the CRD.
 */

const versions = kubectlVersions(29);
const skip =
  versions.length === 0 ? missingTool('kubectl', 'the CRD suite drives the real kubectl') : undefined;

describe.skipIf(!!skip).each(versions)('CRDs with kubectl $label', ({ label, bin }) => {
  let lab: TestLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin, lab.kubeconfig, label);
  });
  afterAll(() => lab?.stop());

  const apply = (yaml: string, opts: { allowFail?: boolean } = {}) =>
    kubectl(['apply', '-f', '-'], { input: yaml, ...opts });

  it('installs the CRD and reports it established', async () => {
    expect((await apply(memcachedCrdYaml)).stdout.trim()).toBe(
      `customresourcedefinition.apiextensions.k8s.io/${MEMCACHED_CRD} created`,
    );
    const wait = await kubectl([
      'wait',
      '--for',
      'condition=established',
      `crd/${MEMCACHED_CRD}`,
      '--timeout=20s',
    ]);
    expect(wait.stdout.trim()).toBe(
      `customresourcedefinition.apiextensions.k8s.io/${MEMCACHED_CRD} condition met`,
    );
    const { stdout } = await kubectl(['get', 'crd']);
    expect(stdout).toMatch(/^NAME\s+CREATED AT$/m);
    expect(stdout).toMatch(/^memcacheds\.cache\.example\.com\s+\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/m);
  });

  it('lists the new resource with its short name in api-resources', async () => {
    const { stdout } = await kubectl(['api-resources']);
    const line = stdout.split('\n').find((l) => l.startsWith('memcacheds '));
    expect(line?.split(/\s+/)).toEqual([
      'memcacheds',
      'mc',
      'cache.example.com/v1alpha1',
      'true',
      'Memcached',
    ]);
  });

  it('prints the printer columns, the priority ones only with -o wide', async () => {
    expect((await apply(memcachedYaml('cache1', 1))).stdout.trim()).toBe(
      'memcached.cache.example.com/cache1 created',
    );
    const plain = (await kubectl(['get', 'memcacheds'])).stdout.trim().split('\n');
    expect(plain[0]).toMatch(/^NAME\s+SIZE\s+READY\s+AGE$/);
    expect(plain[1]).toMatch(/^cache1\s+1\s+\d+s$/);

    const patched = await kubectl([
      'patch',
      'memcached',
      'cache1',
      '--subresource=status',
      '--type=merge',
      '-p',
      '{"status":{"conditions":[{"type":"Available","status":"True","reason":"Ready"}]}}',
    ]);
    expect(patched.stdout.trim()).toBe('memcached.cache.example.com/cache1 patched');
    const wide = (await kubectl(['get', 'mc', '-o', 'wide'])).stdout.trim().split('\n');
    expect(wide[0]).toMatch(/^NAME\s+SIZE\s+READY\s+PORT\s+AGE$/);
    expect(wide[1]).toMatch(/^cache1\s+1\s+True\s+11211\s+\d+s$/);
  });

  it('round-trips a custom resource through -o yaml and replace', async () => {
    const { stdout: yaml } = await kubectl(['get', 'memcached', 'cache1', '-o', 'yaml']);
    expect(yaml).toMatch(/^apiVersion: cache\.example\.com\/v1alpha1$/m);
    expect(yaml).toMatch(/^kind: Memcached$/m);
    expect(yaml).toMatch(/^ {2}size: 1$/m);
    expect(yaml).toMatch(/^ {2}generation: 1$/m);
    const replaced = await kubectl(['replace', '-f', '-'], {
      input: yaml.replace(/^ {2}size: 1$/m, '  size: 3'),
    });
    expect(replaced.stdout.trim()).toBe('memcached.cache.example.com/cache1 replaced');
    const after = await kubectl([
      'get',
      'memcached',
      'cache1',
      '-o',
      'jsonpath={.spec.size} {.metadata.generation}',
    ]);
    expect(after.stdout).toBe('3 2');
  });

  it('scales through the scale subresource, writing the CRD’s spec path', async () => {
    const scaled = await kubectl(['scale', 'memcached', 'cache1', '--replicas=2']);
    expect(scaled.stdout.trim()).toBe('memcached.cache.example.com/cache1 scaled');
    const size = await kubectl(['get', 'memcached', 'cache1', '-o', 'jsonpath={.spec.size}']);
    expect(size.stdout).toBe('2');
  });

  it('rejects a size outside the schema with upstream’s message', async () => {
    const r = await apply(memcachedYaml('cache2', 5), { allowFail: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(
      'spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3',
    );
  });

  it('deletes the custom resources with the CRD, and then the resource type is gone', async () => {
    await apply(memcachedYaml('cache3', 1));
    const del = await kubectl(['delete', 'crd', MEMCACHED_CRD]);
    expect(del.stdout.trim()).toBe(
      `customresourcedefinition.apiextensions.k8s.io "${MEMCACHED_CRD}" deleted`,
    );
    expect((await kubectl(['get', 'crd'])).stderr.trim()).toBe('No resources found');

    // kubectl still believes in the type from its discovery cache: the server answers 404.
    const stale = await kubectl(['get', 'memcacheds'], { allowFail: true });
    expect(stale.stderr.trim()).toBe(
      'Error from server (NotFound): Unable to list "cache.example.com/v1alpha1, Resource=memcacheds": the server could not find the requested resource',
    );
    dropDiscoveryCache(lab.kubeconfig);
    const gone = await kubectl(['get', 'memcacheds'], { allowFail: true });
    expect(gone.stderr.trim()).toBe('error: the server doesn\'t have a resource type "memcacheds"');

    // Installed again, the CRD starts empty: its old objects were deleted with it.
    await apply(memcachedCrdYaml);
    await kubectl(['wait', '--for', 'condition=established', `crd/${MEMCACHED_CRD}`, '--timeout=20s']);
    const empty = await kubectl(['get', 'memcacheds', '-A']);
    expect(empty.stderr.trim()).toBe('No resources found');
  });
});

describe.skipIf(!kubectlOnPath())('CRDs across a sim restart', () => {
  let lab: TestLab;
  let restarted: RunningSim | undefined;
  afterAll(async () => {
    await restarted?.close();
    if (lab) fs.rmSync(lab.dir, { recursive: true, force: true });
  });

  it('serves stored CRDs and their objects from the first request after a restart', async () => {
    lab = await startTestLab();
    let kubectl = kubectlFor(kubectlOnPath()!, lab.kubeconfig);
    await kubectl(['apply', '-f', '-'], { input: memcachedCrdYaml });
    await kubectl(['wait', '--for', 'condition=established', `crd/${MEMCACHED_CRD}`, '--timeout=20s']);
    await kubectl(['apply', '-f', '-'], { input: memcachedYaml('cache1', 2) });

    await lab.sim.close();
    restarted = await serveLab(lab.dir, silentLogger, { noSync: true });
    kubectl = kubectlFor(kubectlOnPath()!, lab.kubeconfig);
    dropDiscoveryCache(lab.kubeconfig);

    const rows = (await kubectl(['get', 'memcacheds'])).stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^NAME\s+SIZE\s+READY\s+AGE$/);
    expect(rows[1]).toMatch(/^cache1\s+2\s+\S+$/);
    const scaled = await kubectl(['scale', 'mc', 'cache1', '--replicas=3']);
    expect(scaled.stdout.trim()).toBe('memcached.cache.example.com/cache1 scaled');
    const established = await kubectl([
      'get',
      'crd',
      MEMCACHED_CRD,
      '-o',
      'jsonpath={.status.conditions[?(@.type=="Established")].status}',
    ]);
    expect(established.stdout).toBe('True');
  });
});
