import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../src/sim/clock.js';
import { lookupImage, manifestDigest } from '../../src/sim/node/images/catalog.js';
import { parseImageReference, qualifiedName } from '../../src/sim/node/images/reference.js';
import { execInContainer } from '../../src/sim/node/process/exec.js';
import { baseRootfs, ContainerFs } from '../../src/sim/node/process/fs.js';
import { containerArgv, launch } from '../../src/sim/node/process/launch.js';
import type { ProcessHost } from '../../src/sim/node/process/types.js';

/** A container runtime reduced to what a process sees: output, memory, exit, on a virtual clock. */
function run(
  image: string,
  opts: { command?: string[]; args?: string[]; env?: Record<string, string> } = {},
) {
  const parsed = parseImageReference(image);
  if (!parsed.ok) throw new Error(parsed.error);
  const found = lookupImage(parsed.ref);
  if (!found.found) throw new Error(`not in catalog: ${image}`);
  const clock = new VirtualClock(new Date('2026-01-01T00:00:00Z'));
  const out: string[] = [];
  const state = { exit: undefined as number | undefined, exitAt: 0, memory: 0 };
  const fs = new ContainerFs(baseRootfs());
  const env = { ...found.image.env, ...(opts.env ?? {}) };
  const host: ProcessHost = {
    now: () => clock.now().getTime(),
    at: (t, fn) => void clock.setTimeout(fn, t - clock.now().getTime()),
    write: (_s, text) => out.push(text),
    setMemory: (b) => {
      state.memory = b;
    },
    exit: (code, at) => {
      state.exit = code;
      state.exitAt = at - Date.parse('2026-01-01T00:00:00Z');
    },
    env,
    fs,
    hostname: 'pod',
    pid1: true,
    resolve: () => undefined,
  };
  const argv = containerArgv(found.image, opts.command, opts.args);
  const l = launch(found.image, found.variant, argv, env);
  if (!l.ok) return { error: l.message, clock, out, state, fs };
  l.process.start(host, clock.now().getTime());
  return { process: l.process, clock, out, state, fs, variant: found.variant };
}

describe('image references', () => {
  it('resolves short names through docker.io as CRI-O does', () => {
    const r = parseImageReference('nginx:1.27');
    expect(r.ok && qualifiedName(r.ref)).toBe('docker.io/library/nginx:1.27');
    const s = parseImageReference('polinux/stress');
    expect(s.ok && qualifiedName(s.ref)).toBe('docker.io/polinux/stress:latest');
    const k = parseImageReference('registry.k8s.io/pause:3.10');
    expect(k.ok && qualifiedName(k.ref)).toBe('registry.k8s.io/pause:3.10');
    const bad = parseImageReference('Nginx');
    expect(bad.ok ? '' : bad.error).toBe(
      'couldn\'t parse image name "Nginx": invalid reference format: repository name (library/Nginx) must be lowercase',
    );
  });

  it('gives every tag a stable digest and knows which tags exist', () => {
    const a = parseImageReference('nginx:1.27');
    const b = parseImageReference('docker.io/library/nginx:1.27');
    expect(a.ok && b.ok && manifestDigest(a.ref)).toBe(b.ok && manifestDigest(b.ref));
    expect(a.ok && manifestDigest(a.ref)).toMatch(/^sha256:[0-9a-f]{64}$/);
    const missing = parseImageReference('memcached:9.9');
    expect(missing.ok && lookupImage(missing.ref)).toEqual({ found: false, reason: 'tag' });
    const unknown = parseImageReference('nope:1');
    expect(unknown.ok && lookupImage(unknown.ref)).toEqual({ found: false, reason: 'repository' });
  });
});

describe('busybox program model', () => {
  it('runs sleep then exits 0 after exactly that long', async () => {
    const r = run('busybox:1.36', { command: ['sleep', '5'] });
    await r.clock.advance(4_999);
    expect(r.state.exit).toBeUndefined();
    await r.clock.advance(1);
    expect(r.state).toMatchObject({ exit: 0, exitAt: 5_000 });
  });

  it('runs sh -c sequences with &&, ||, exit codes and unknown commands', async () => {
    const r = run('busybox', {
      command: ['sh', '-c', 'echo start; false || echo fell back; foo; echo "code $?" && exit 3'],
    });
    await r.clock.advance(10);
    expect(r.out.join('')).toBe('start\nfell back\nsh: foo: not found\ncode 127\n');
    expect(r.state.exit).toBe(3);
  });

  it('keeps looping with sleeps and writes files an exec probe can read', async () => {
    const r = run('busybox', {
      command: [
        'sh',
        '-c',
        'touch /tmp/healthy; i=0; while true; do i=$((i+1)); echo "tick $i"; sleep 10; done',
      ],
    });
    await r.clock.advance(25_000);
    expect(r.out.join('')).toBe('tick 1\ntick 2\ntick 3\n');
    expect(r.state.exit).toBeUndefined();
    const probe = execInContainer(
      { shell: 'busybox', fs: r.fs, env: {}, hostname: 'pod', now: 0, resolve: () => undefined },
      ['cat', '/tmp/healthy'],
    );
    expect(probe.ok && probe.result.exitCode).toBe(0);
    const missing = execInContainer(
      { shell: 'busybox', fs: r.fs, env: {}, hostname: 'pod', now: 0, resolve: () => undefined },
      ['cat', '/tmp/nope'],
    );
    expect(missing.ok && missing.result).toMatchObject({
      exitCode: 1,
      stderr: "cat: can't open '/tmp/nope': No such file or directory\n",
    });
  });

  it('ignores SIGTERM as PID 1 unless a trap handles it', async () => {
    const plain = run('busybox', { command: ['sh', '-c', 'sleep infinity'] });
    plain.process!.signal('SIGTERM', plain.clock.now().getTime());
    await plain.clock.advance(60_000);
    expect(plain.state.exit).toBeUndefined();
    const trapped = run('busybox', {
      command: ['sh', '-c', "trap 'echo bye; exit 0' TERM; while true; do sleep 1; done"],
    });
    trapped.process!.signal('SIGTERM', trapped.clock.now().getTime());
    await trapped.clock.advance(1_500);
    expect(trapped.out.join('')).toBe('bye\n');
    expect(trapped.state.exit).toBe(0);
  });

  // biome-ignore lint/suspicious/noTemplateCurlyInString: the test's name quotes shell syntax
  it('expands for loops, ${VAR:-default} and $(command)', async () => {
    const r = run('busybox', {
      command: [
        'sh',
        '-c',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell script
        'for i in 1 2 3; do echo -n "$i "; done; echo ${MISSING:-dflt} $(echo sub) $HOSTNAME',
      ],
      env: { HOSTNAME: 'pod' },
    });
    await r.clock.advance(100);
    expect(r.out.join('')).toBe('1 2 3 dflt sub pod\n');
  });

  it('fails to start a command the image does not have', () => {
    const r = run('busybox', { command: ['bash', '-c', 'true'] });
    expect(r.error).toBe(
      'container create failed: unable to start container process: exec: "bash": executable file not found in $PATH',
    );
  });
});

describe('catalog programs', () => {
  it('nginx serves / on 80, 404s elsewhere, and quits on SIGQUIT', async () => {
    const r = run('nginx:1.27');
    expect(r.process!.http(80, '/', 'HTTP')?.status).toBe(200);
    expect(r.process!.http(80, '/healthz', 'HTTP')?.status).toBe(404);
    expect(r.process!.http(8080, '/', 'HTTP')).toBeUndefined();
    expect(r.out.join('')).toContain('Configuration complete; ready for start up');
    r.process!.signal('SIGQUIT', r.clock.now().getTime());
    await r.clock.advance(200);
    expect(r.state.exit).toBe(0);
  });

  it('stress holds N × --vm-bytes (1024-based) of memory', async () => {
    const r = run('polinux/stress', {
      command: ['stress'],
      args: ['--vm', '1', '--vm-bytes', '100M', '--vm-hang', '1'],
    });
    await r.clock.advance(1_000);
    expect(r.state.memory).toBeGreaterThan(100 * 1024 * 1024);
    expect(r.out.join('')).toBe('stress: info: [1] dispatching hogs: 0 cpu, 0 io, 1 vm, 0 hdd\n');
  });

  it('the Knative sample answers Hello $TARGET! on $PORT', () => {
    const r = run('ghcr.io/knative/helloworld-go', { env: { TARGET: 'Go Sample v1', PORT: '8081' } });
    expect(r.process!.http(8081, '/anything', 'HTTP')).toEqual({
      status: 200,
      body: 'Hello Go Sample v1!\n',
    });
  });

  it('memcached listens on 11211, or where -p says', () => {
    expect(run('memcached:1.6.26-alpine3.19').process!.listens(11211, 'TCP')).toBe(true);
    expect(run('memcached:1.6', { args: ['-p', '11311'] }).process!.listens(11311, 'TCP')).toBe(true);
  });
});

describe('kubelet building blocks', () => {
  it('backs off 10s doubling to 5m, and starts over after 10 minutes without a failure', async () => {
    const { Backoff } = await import('../../src/sim/controllers/kubelet/backoff.js');
    const b = new Backoff();
    const delays: number[] = [];
    let t = 0;
    for (let i = 0; i < 7; i++) {
      b.next('c', t, t);
      delays.push(b.get('c') / 1000);
      t += b.get('c');
    }
    expect(delays).toEqual([10, 20, 40, 80, 160, 300, 300]);
    expect(b.inBackOffSince('c', t, t + 299_000)).toBe(true);
    // An exit more than 600 s after the last update starts again at 10 s.
    b.next('c', t + 601_000, t + 601_000);
    expect(b.get('c')).toBe(10_000);
  });

  it("prints durations as Go's time.Duration does", async () => {
    const { goDuration } = await import('../../src/sim/controllers/kubelet/messages.js');
    expect([0, 812, 1234, 10_000, 80_000, 300_000, 3_723_500].map(goDuration)).toEqual([
      '0s',
      '812ms',
      '1.234s',
      '10s',
      '1m20s',
      '5m0s',
      '1h2m3.5s',
    ]);
  });

  it('hands out pod IPs as host-local does: .2 upward, round the range, no reuse at once', async () => {
    const { HostLocalIpam } = await import('../../src/sim/node/ipam.js');
    const ipam = new HostLocalIpam('10.244.1.0/24');
    expect([ipam.allocate('a'), ipam.allocate('b'), ipam.allocate('a')]).toEqual([
      '10.244.1.2',
      '10.244.1.3',
      '10.244.1.2',
    ]);
    ipam.release('a');
    expect(ipam.allocate('c')).toBe('10.244.1.4');
    for (let i = 0; i < 251; i++) ipam.allocate(`x${i}`);
    expect(ipam.allocate('full')).toBeUndefined();
    expect(ipam.rangeText).toBe('10.244.1.1-10.244.1.254');
  });
});
