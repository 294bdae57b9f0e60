import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTool } from '../helpers/tools.js';
import { type KubeletLab, kubectlBin, skipReason, startKubeletLab } from './kubelet-support.js';

/**
 * `kubectl exec -it … sh` in a real terminal (a tmux pane): the prompt, echo of what is
 * typed, Ctrl-C interrupting a command, and `exit 5` ending kubectl with status 5.
 */

const hasTmux = (() => {
  try {
    execFileSync('tmux', ['-V']);
    return true;
  } catch {
    return false;
  }
})();
const skip =
  skipReason ??
  (hasTmux ? undefined : missingTool('tmux', 'the terminal test drives kubectl in a tmux pane'));

describe.skipIf(skip)('kubectl exec -it', () => {
  let t: KubeletLab;
  const session = `clusterlab-exec-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
  const screen = () => tmux('capture-pane', '-p', '-t', session);
  const until = async (check: (s: string) => boolean, what: string) => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const s = screen();
      if (check(s)) return s;
      if (Date.now() > deadline) throw new Error(`the terminal never showed ${what}:\n${s}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeAll(async () => {
    t = await startKubeletLab();
    await t.apply({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'term' },
      spec: {
        nodeName: 'lab-worker',
        containers: [{ name: 'box', image: 'busybox:1.37', command: ['sleep', '3600'] }],
      },
    });
    await t.until(() => t.pod('term')?.status?.phase === 'Running', 'Running');
  }, 60_000);
  afterAll(async () => {
    try {
      tmux('kill-session', '-t', session);
    } catch {
      // Already gone.
    }
    await t?.stop();
  });

  it('gives a prompt, runs what is typed, and ends with the exit status', async () => {
    const home = path.join(path.dirname(t.lab.kubeconfig), 'kubectl-home');
    const status = path.join(path.dirname(t.lab.kubeconfig), 'exec-status');
    const cmd = `KUBECONFIG=${t.lab.kubeconfig} HOME=${home} ${kubectlBin} exec -it term -- sh; echo "status=$?" > ${status}; sleep 30`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);
    // tmux drops trailing blanks: the prompt `/ # ` reads `/ #`.
    await until((s) => /^\/ #$/m.test(s), 'the prompt');
    tmux('send-keys', '-t', session, 'cd /tmp && echo hello > f && cat f', 'Enter');
    await until((s) => /^\/tmp #$/m.test(s), 'the new prompt');
    expect(screen()).toContain('/ # cd /tmp && echo hello > f && cat f\nhello\n/tmp #');
    tmux('send-keys', '-t', session, 'tail -f /dev/null', 'Enter');
    await until((s) => s.includes('tail -f /dev/null\n'), 'tail running');
    tmux('send-keys', '-t', session, 'C-c');
    await until((s) => /\^C\n\/tmp #$/m.test(s), 'the prompt after Ctrl-C');
    tmux('send-keys', '-t', session, 'echo $?', 'Enter');
    await until((s) => s.includes('\n130\n'), 'the status of the interrupted command');
    tmux('send-keys', '-t', session, 'exit 5', 'Enter');
    const deadline = Date.now() + 20_000;
    while (!fs.existsSync(status) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(fs.readFileSync(status, 'utf8')).toBe('status=5\n');
  }, 60_000);
});
