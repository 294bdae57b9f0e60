import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kubectlOnPath } from '../helpers/kubectl.js';
import { missingTool } from '../helpers/tools.js';
import { type CliHome, cliHome, eventually, requireBuild } from './helpers/cli.js';

const skip = kubectlOnPath()
  ? undefined
  : missingTool('kubectl', 'the node suites compare with the real kubectl');

/** Cells of a crictl table by its header's column positions (CREATED has spaces in it). */
function crictlRows(text: string): Array<Record<string, string>> {
  const [header, ...lines] = text.trimEnd().split('\n');
  const names = header!.split(/ {2,}/).filter(Boolean);
  let from = 0;
  const starts = names.map((n) => {
    const at = header!.indexOf(n, from);
    from = at + n.length;
    return at;
  });
  return lines.map((l) =>
    Object.fromEntries(names.map((n, i) => [n, l.slice(starts[i], starts[i + 1] ?? l.length).trim()])),
  );
}

describe.skipIf(!!skip)('clusterlab node exec / ssh (built CLI, sim backend)', () => {
  let home: CliHome;
  beforeAll(async () => {
    requireBuild();
    home = cliHome();
    await home.ok(['up']);
  });
  afterAll(() => home?.cleanup());

  it('crictl ps on each node lists exactly the containers the API says run there', async () => {
    await home.ok(['kubectl', '--', 'create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=4']);
    await home.ok(['kubectl', '--', 'rollout', 'status', 'deployment/web', '--timeout=60s']);
    for (const node of ['lab-control-plane', 'lab-worker', 'lab-worker2']) {
      const api = await eventually(async () => {
        const r = await home.ok([
          'kubectl',
          '--',
          'get',
          'pods',
          '-A',
          '-o',
          'json',
          '--field-selector',
          `spec.nodeName=${node}`,
        ]);
        const running = JSON.parse(r.stdout).items.flatMap((p: any) =>
          (p.status.containerStatuses ?? [])
            .filter((c: any) => c.state.running)
            .map(
              (c: any) =>
                `${p.metadata.namespace}/${p.metadata.name}/${c.name}/${c.containerID.slice(8, 21)}`,
            ),
        );
        return running.length > 0 ? running : undefined;
      });
      const r = await home.ok(['node', 'exec', node, '--', 'crictl', 'ps']);
      expect(r.stdout.split('\n')[0]).toMatch(
        /^CONTAINER {11}IMAGE {15}CREATED {13}STATE {15}NAME +ATTEMPT {13}POD ID {14}POD +NAMESPACE$/,
      );
      const rows = crictlRows(r.stdout);
      expect(rows.every((x) => x.STATE === 'Running')).toBe(true);
      const seen = rows.map((x) => `${x.NAMESPACE}/${x.POD}/${x.NAME}/${x.CONTAINER}`);
      expect(seen.sort()).toEqual([...api].sort());
    }
  });

  it('passes the exit code through and keeps stdout and stderr apart', async () => {
    const r = await home.run([
      'node',
      'exec',
      'lab-worker',
      '--',
      'sh',
      '-c',
      'echo out; echo err >&2; exit 7',
    ]);
    expect(r).toMatchObject({ code: 7, stdout: 'out\n', stderr: 'err\n' });
    const ok = await home.run(['node', 'exec', 'worker2', '--', 'cat', '/etc/hostname']);
    expect(ok).toMatchObject({ code: 0, stdout: 'lab-worker2\n' });
    const json = await home.run(['node', 'exec', '--json', 'lab-worker', '--', 'sh', '-c', 'exit 3']);
    expect(json.code).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({
      node: 'lab-worker',
      exitCode: 3,
      stdout: '',
      stderr: '',
    });
    const missing = await home.run(['node', 'exec', 'lab-nope', '--', 'true']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain(
      'lab "lab" has no node "lab-nope" (its nodes: lab-control-plane, lab-worker, lab-worker2)',
    );
    const notFound = await home.run(['node', 'exec', 'lab-worker', '--', 'nosuchcommand']);
    expect(notFound.code).not.toBe(0);
  });

  it('ssh reads a script from a pipe and returns its exit status', async () => {
    const r = await home.run(['ssh', 'lab-worker'], {
      input: 'cat /etc/cni/net.d/10-kindnet.conflist | grep subnet\nexit 4\n',
    });
    expect(r.code, r.stderr).toBe(4);
    expect(r.stdout).toContain('"subnet": "10.244.1.0/24"');
  });

  it.skipIf(process.platform !== 'linux')(
    'ssh on a terminal gives the node prompt and its exit code',
    async () => {
      const r = await home.run(['ssh', 'lab-worker'], {
        viaTerminal: true,
        input: 'cd /etc/cni/net.d\nexit 6\n',
      });
      expect(r.stdout).toContain('root@lab-worker:/# ');
      expect(r.stdout).toContain('root@lab-worker:/etc/cni/net.d# ');
      expect(r.code).toBe(6);
    },
  );
});
