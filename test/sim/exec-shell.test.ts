import { describe, expect, it } from 'vitest';
import { type LiveTarget, runLive } from '../../src/sim/node/process/exec-session.js';
import { baseRootfs, ContainerFs, FileStore, SubtreeView } from '../../src/sim/node/process/fs.js';
import type { ShellHost } from '../../src/sim/node/process/shell/context.js';

/**
 * The container shell's commands and their busybox output formats, run the way
 * `kubectl exec` runs them (live stdin, the sim's clock), without a cluster.
 */

const NOW = Date.UTC(2026, 10, 22, 7, 40, 0);

function target(host: Partial<ShellHost> = {}): LiveTarget {
  const root = baseRootfs({
    '/etc/passwd': 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/home:/bin/false\n',
    '/etc/group': 'root:x:0:\nwheel:x:10:root\nnobody:x:65534:\n',
  });
  const data = new FileStore(() => NOW);
  const fs = new ContainerFs(root, [
    {
      path: '/data',
      view: new SubtreeView(data, ''),
      readOnly: false,
      info: { source: '/dev/sda1', fsType: 'ext4', options: 'relatime' },
    },
  ]);
  return {
    shell: 'busybox',
    fs,
    env: { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', HOSTNAME: 'web' },
    hostname: 'web',
    host: { kind: 'container', ...host },
    resolve: () => undefined,
    now: () => NOW,
    wait: async () => {},
  };
}

async function run(argv: string[], stdin?: string, t = target()) {
  let out = '';
  let err = '';
  const chunks = stdin === undefined ? undefined : [stdin];
  const code = await runLive(t, argv, {
    tty: false,
    stdin: chunks && { read: async () => chunks.shift() },
    stdout: (s) => (out += s),
    stderr: (s) => (err += s),
  });
  return { code, out, err };
}

const sh = (script: string, stdin?: string, t?: LiveTarget) => run(['sh', '-c', script], stdin, t);

describe('the container shell', () => {
  it('feeds stdin only to the commands that read it', async () => {
    expect(await sh('echo start; cat; echo end', 'a\nb\n')).toMatchObject({
      out: 'start\na\nb\nend\n',
      code: 0,
    });
    expect(await sh('while read line; do echo "<$line>"; done', 'x y\nz\n')).toMatchObject({
      out: '<x y>\n<z>\n',
    });
    expect(await sh('sort -r | uniq -c', 'b\na\nb\n')).toMatchObject({ out: '      2 b\n      1 a\n' });
  });

  it('lists files as busybox ls -l does, and moves, copies and removes them', async () => {
    const r = await sh(
      'mkdir -p /data/d && echo hello > /data/d/f && cp /data/d/f /data/g && mv /data/g /data/h && ls -l /data/d; ls /data; rm -r /data/d; ls /data',
    );
    expect(r.out).toBe('total 4\n-rw-r--r--    1 root     root             6 Nov 22 07:40 f\nd\nh\nh\n');
  });

  it('changes directory, and resolves relative paths from it', async () => {
    expect((await sh('cd /data && echo x > rel && pwd && cat /data/rel && cd nowhere')).out).toBe(
      '/data\nx\n',
    );
    expect((await sh('cd nowhere')).err).toBe("sh: cd: can't cd to nowhere: No such file or directory\n");
  });

  it('shows mounts and their space', async () => {
    expect((await sh('mount')).out).toBe(
      'overlay on / type overlay (rw)\n/dev/sda1 on /data type ext4 (rw,relatime)\n',
    );
    const df = (await sh('df -h /data')).out.split('\n');
    expect(df[0]).toBe('Filesystem                Size      Used Available Use% Mounted on');
    expect(df[1]).toMatch(/^\/dev\/sda1 +97\.9G +33\.8G +\d+\.\dG +35% \/data$/);
  });

  it('reports the user from the security context', async () => {
    const t = target({ user: { uid: 1000, gid: 3000, groups: [3000, 2000] } });
    expect((await sh('id', undefined, t)).out).toBe('uid=1000 gid=3000 groups=2000,3000\n');
    expect((await sh('id')).out).toBe('uid=0(root) gid=0(root) groups=0(root),10(wheel)\n');
  });

  it('lists processes as busybox ps does', async () => {
    const t = target({
      processes: () => [
        { pid: 1, user: '', state: 'S', vszKb: 1, rssKb: 1, startedAt: NOW, command: 'sleep 3600' },
      ],
    });
    expect((await sh('ps', undefined, t)).out).toBe(
      'PID   USER     TIME  COMMAND\n    1 root      0:00 sleep 3600\n    2 root      0:00 ps\n',
    );
  });

  it('cuts, translates and edits text', async () => {
    expect((await sh('cut -d: -f1 /etc/passwd | tr a-z A-Z')).out).toBe('ROOT\nNOBODY\n');
    expect((await sh("echo 'a b c' | awk '{print $2}'; echo hello | sed 's/l/L/g'")).out).toBe('b\nheLLo\n');
  });

  it('fails as a real exec does for a command the image lacks', async () => {
    expect((await run(['curlx'])).code).toEqual({
      error: expect.stringContaining('executable file not found in $PATH'),
    });
    expect(await sh('nope')).toMatchObject({ code: 127, err: 'sh: nope: not found\n' });
  });
});
