import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath, kubectlVersions } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/**
 * What the real kubectl gets from the sim's schema work: server-side field validation with
 * upstream's messages, canonical quantities, `kubectl explain` from the OpenAPI v3 documents,
 * and strategic merge patches from client-side apply.
 */

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'install kubectl to run the kubectl suites');

function deployment(name: string, opts: { container?: string; replicas?: string } = {}): string {
  return `apiVersion: apps/v1
kind: Deployment
metadata:
  name: ${name}
  namespace: default
spec:
  replicas: ${opts.replicas ?? '1'}
  selector:
    matchLabels: {app: ${name}}
  template:
    metadata:
      labels: {app: ${name}}
    spec:
      containers:
      - name: web
        image: nginx:1.25
${opts.container ?? ''}`;
}

const widgetCrd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        description: A Widget is a thing the lab makes.
        type: object
        properties:
          spec:
            description: What the widget should be.
            type: object
            required: [image]
            properties:
              image: {type: string, description: The image the widget runs.}
              size: {type: integer, minimum: 1, maximum: 3, default: 1, description: How many copies.}
`;

const widget = (name: string, spec: string) =>
  `apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: ${name}, namespace: default}\nspec:\n${spec}`;

describe.skipIf(!!skip)('field validation and OpenAPI through the real kubectl', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
  });
  afterAll(() => lab?.stop());

  it('rejects a mistyped field with the strict decoding error upstream returns', async () => {
    const r = await kubectl(['apply', '-f', '-'], {
      input: deployment('typo', { container: '        imagex: nginx\n' }),
      allowFail: true,
    });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.template.spec.containers[0].imagex"',
    );
    const get = await kubectl(['get', 'deploy', 'typo'], { allowFail: true });
    expect(get.stderr.trim()).toBe('Error from server (NotFound): deployments.apps "typo" not found');
  });

  it('with --validate=warn, warns about the field and stores the object without it', async () => {
    const r = await kubectl(['apply', '--validate=warn', '-f', '-'], {
      input: deployment('warned', { container: '        imagex: nginx\n' }),
    });
    expect(r.stdout.trim()).toBe('deployment.apps/warned created');
    expect(r.stderr.trim()).toBe('Warning: unknown field "spec.template.spec.containers[0].imagex"');
    const { stdout } = await kubectl([
      'get',
      'deploy',
      'warned',
      '-o',
      'jsonpath={.spec.template.spec.containers[0]}',
    ]);
    const container = JSON.parse(stdout);
    expect(container.image).toBe('nginx:1.25');
    expect(container).not.toHaveProperty('imagex');
  });

  it("fails a string where an integer belongs with Go's json wording", async () => {
    const r = await kubectl(['create', '-f', '-'], {
      input: deployment('typed', { replicas: '"two"' }),
      allowFail: true,
    });
    expect(r.stderr.trim()).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    );
  });

  it('stores quantities in canonical form', async () => {
    await kubectl(['apply', '-f', '-'], {
      input: deployment('sized', {
        container: '        resources: {limits: {cpu: 1, memory: 1.5Gi}, requests: {cpu: 0.25}}\n',
      }),
    });
    const { stdout } = await kubectl([
      'get',
      'deploy',
      'sized',
      '-o',
      'jsonpath={.spec.template.spec.containers[0].resources}',
    ]);
    expect(JSON.parse(stdout)).toEqual({ limits: { cpu: '1', memory: '1536Mi' }, requests: { cpu: '250m' } });
  });

  it('sends strategic merge patches from client-side apply of built-in kinds, validated on the server', async () => {
    await kubectl(['apply', '-f', '-'], { input: deployment('patched') });
    const r = await kubectl(['apply', '-v=8', '-f', '-'], {
      input: deployment('patched').replace('nginx:1.25', 'nginx:1.26'),
    });
    const log = r.stderr;
    expect(log).toMatch(
      /"Request" verb="PATCH" url="[^"]*\/deployments\/patched\?[^"]*fieldValidation=Strict/,
    );
    const patchHeaders = log.slice(log.indexOf('verb="PATCH"'));
    expect(patchHeaders).toMatch(/Content-Type: application\/strategic-merge-patch\+json/);
    // Computed from the v3 document: kubectl falls back to v2 and its compiled-in types otherwise.
    expect(log).not.toContain('/openapi/v2');
  });

  it('validates custom resources: unknown fields, schema limits and defaults', async () => {
    await kubectl(['apply', '-f', '-'], { input: widgetCrd });
    await kubectl(['wait', '--for', 'condition=established', '--timeout=30s', 'crd/widgets.example.com']);
    const typo = await kubectl(['apply', '-f', '-'], {
      input: widget('w1', '  image: a\n  imagex: b\n'),
      allowFail: true,
    });
    expect(typo.stderr.trim()).toBe(
      'Error from server (BadRequest): error when creating "STDIN": Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.imagex"',
    );
    const big = await kubectl(['apply', '-f', '-'], {
      input: widget('w1', '  image: a\n  size: 5\n'),
      allowFail: true,
    });
    expect(big.stderr.trim()).toBe(
      'The Widget "w1" is invalid: spec.size: Invalid value: 5: spec.size in body should be less than or equal to 3',
    );
    await kubectl(['apply', '-f', '-'], { input: widget('w1', '  image: a\n') });
    const { stdout } = await kubectl(['get', 'widget', 'w1', '-o', 'jsonpath={.spec}']);
    expect(JSON.parse(stdout)).toEqual({ image: 'a', size: 1 });

    const explained = await kubectl(['explain', 'widgets.spec']);
    expect(explained.stdout).toContain('GROUP:      example.com\nKIND:       Widget\nVERSION:    v1');
    expect(explained.stdout).toContain('FIELD: spec <Object>');
    expect(explained.stdout).toMatch(/image\t<string> -required-\n\s+The image the widget runs\./);
    expect(explained.stdout).toMatch(/size\t<integer>\n\s+How many copies\./);
  });

  describe('kubectl explain, on every kubectl from 1.29', () => {
    for (const { label, bin: versionBin } of kubectlVersions(29)) {
      it(`answers explain pod.spec and a --recursive explain (${label})`, async () => {
        const k = kubectlFor(versionBin, lab.kubeconfig, label);
        const spec = await k(['explain', 'pod.spec']);
        expect(spec.stdout).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: spec <PodSpec>/);
        expect(spec.stdout).toContain('PodSpec is a description of a pod.');
        expect(spec.stdout).toMatch(
          /\n {2}containers\t<\[\]Container> -required-\n {4}List of containers belonging to the pod\./,
        );
        expect(spec.stdout).toMatch(/\n {2}restartPolicy\t<string>\n/);

        const containers = await k(['explain', 'deployment.spec.template.spec.containers', '--recursive']);
        expect(containers.stdout).toMatch(
          /^GROUP:\s+apps\nKIND:\s+Deployment\nVERSION:\s+v1\n\nFIELD: containers <\[\]Container>/,
        );
        expect(containers.stdout).toContain('\n  image\t<string>\n');
        expect(containers.stdout).toMatch(
          /\n {2}ports\t<\[\]ContainerPort>\n {4}containerPort\t<integer> -required-\n/,
        );
        expect(containers.stdout).toMatch(/\n {2}resources\t<ResourceRequirements>\n/);
      });
    }
  });

  describe('kubectl 1.27 and 1.28, which download the OpenAPI v2 document before writing', () => {
    const old = kubectlVersions(27).filter((v) => v.label === '1.27' || v.label === '1.28');
    for (const { label, bin: versionBin } of old) {
      it(`apply works without --validate=false, validates on the server, and explains (${label})`, async () => {
        const k = kubectlFor(versionBin, lab.kubeconfig, label);
        const name = `old-${label.replace('.', '')}`;
        const ok = await k(['apply', '-f', '-'], {
          input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}, namespace: default}\ndata: {a: b}\n`,
        });
        expect(ok.stdout.trim()).toBe(`configmap/${name} created`);
        const bad = await k(['create', '-f', '-'], {
          input: `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}-x, namespace: default}\ndatax: {a: b}\n`,
          allowFail: true,
        });
        expect(bad.stderr.trim()).toBe(
          'Error from server (BadRequest): error when creating "STDIN": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "datax"',
        );
        const explained = await k(['explain', 'pod.spec.containers.image']);
        expect(explained.stdout).toMatch(/^KIND:\s+Pod\nVERSION:\s+v1\n\nFIELD: image <string>/);
      });
    }
  });
});
