import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { headerOf, parseTable } from '../helpers/kubectl-table.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'install kubectl to run the kubectl suites');

describe.skipIf(!!skip)(
  'networking, discovery, coordination and storage tables through the real kubectl',
  () => {
    let lab: TestLab;
    let kubectl: Kubectl;
    beforeAll(async () => {
      lab = await startTestLab();
      kubectl = kubectlFor(bin!, lab.kubeconfig);
    });
    afterAll(() => lab?.stop());

    it('prints EndpointSlices, IngressClasses, Leases and CSIDrivers like upstream', async () => {
      await kubectl(['apply', '-f', '-'], {
        input: `
apiVersion: discovery.k8s.io/v1
kind: EndpointSlice
metadata: {name: web-abc12, namespace: default}
addressType: IPv4
ports: [{name: http, port: 80}, {port: 443}]
endpoints:
- addresses: [10.244.1.5]
- addresses: [10.244.2.7]
- addresses: [10.244.1.9]
- addresses: [10.244.2.3]
---
apiVersion: networking.k8s.io/v1
kind: IngressClass
metadata: {name: nginx}
spec:
  controller: k8s.io/ingress-nginx
  parameters: {apiGroup: k8s.example.com, kind: IngressParameters, name: external-lb}
---
apiVersion: coordination.k8s.io/v1
kind: Lease
metadata: {name: lab-worker, namespace: kube-node-lease}
spec: {holderIdentity: lab-worker, leaseDurationSeconds: 40}
---
apiVersion: storage.k8s.io/v1
kind: CSIDriver
metadata: {name: hostpath.csi.k8s.io}
spec: {podInfoOnMount: true}
`,
      });
      const slices = await kubectl(['get', 'endpointslices', 'web-abc12']);
      expect(headerOf(slices.stdout)).toEqual(['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE']);
      expect(parseTable(slices.stdout)[0]).toMatchObject({
        NAME: 'web-abc12',
        ADDRESSTYPE: 'IPv4',
        PORTS: '80,443',
        ENDPOINTS: '10.244.1.5,10.244.2.7,10.244.1.9 + 1 more...',
      });
      const classes = await kubectl(['get', 'ingressclass']);
      expect(parseTable(classes.stdout)[0]).toMatchObject({
        NAME: 'nginx',
        CONTROLLER: 'k8s.io/ingress-nginx',
        PARAMETERS: 'IngressParameters.k8s.example.com/external-lb',
      });
      const leases = await kubectl(['get', 'leases', '-n', 'kube-node-lease']);
      expect(headerOf(leases.stdout)).toEqual(['NAME', 'HOLDER', 'AGE']);
      // The nodes' own kubelets hold Leases here too.
      expect(parseTable(leases.stdout).find((r) => r.NAME === 'lab-worker')).toMatchObject({
        NAME: 'lab-worker',
        HOLDER: 'lab-worker',
      });
      const drivers = await kubectl(['get', 'csidrivers']);
      expect(headerOf(drivers.stdout)).toEqual([
        'NAME',
        'ATTACHREQUIRED',
        'PODINFOONMOUNT',
        'STORAGECAPACITY',
        'TOKENREQUESTS',
        'REQUIRESREPUBLISH',
        'MODES',
        'AGE',
      ]);
      expect(parseTable(drivers.stdout)[0]).toMatchObject({
        NAME: 'hostpath.csi.k8s.io',
        ATTACHREQUIRED: 'true',
        PODINFOONMOUNT: 'true',
        STORAGECAPACITY: 'false',
        TOKENREQUESTS: '<unset>',
        REQUIRESREPUBLISH: 'false',
        MODES: 'Persistent',
      });
    });

    it('counts label changes in an EndpointSlice generation, as upstream does', async () => {
      const generation = async () =>
        (await kubectl(['get', 'endpointslice', 'web-abc12', '-o', 'jsonpath={.metadata.generation}']))
          .stdout;
      expect(await generation()).toBe('1');
      await kubectl(['label', 'endpointslice', 'web-abc12', 'kubernetes.io/service-name=web']);
      expect(await generation()).toBe('2');
    });
  },
);
