import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Kubectl, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

const bin = kubectlOnPath();
const skip = bin ? undefined : missingTool('kubectl', 'install kubectl to run the kubectl suites');

describe.skipIf(!!skip)('real kubectl against the sim (smoke)', () => {
  let lab: TestLab;
  let kubectl: Kubectl;
  beforeAll(async () => {
    lab = await startTestLab();
    kubectl = kubectlFor(bin!, lab.kubeconfig);
  });
  afterAll(() => lab?.stop());

  it('lists the lab nodes the way kind names and labels them', async () => {
    const { stdout } = await kubectl(['get', 'nodes']);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/).slice(0, 3).join(' '))).toEqual([
      'lab-control-plane Ready control-plane',
      'lab-worker Ready <none>',
      'lab-worker2 Ready <none>',
    ]);
  });

  it('prints upstream NotFound text for a missing object', async () => {
    const r = await kubectl(['get', 'pod', 'nope', '-n', 'default'], { allowFail: true });
    expect(r.code).not.toBe(0);
    expect(r.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });
});
