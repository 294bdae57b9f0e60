import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { dockerClient } from '../../../src/backends/docker/client.js';
import { imageExists } from '../../../src/backends/docker/containers.js';
import { missingTool } from '../../helpers/tools.js';

/** Built here from the host's busybox: no registry is reachable in CI. */
export const TEST_IMAGE = 'clusterlab-test/kind-node:busybox';

const APPLETS = [
  'sh',
  'sleep',
  'echo',
  'cat',
  'true',
  'false',
  'printf',
  'head',
  'seq',
  'yes',
  'env',
  'ls',
  'tr',
];

/** A Docker client when the engine answers; otherwise a skip reason (a failure in CI). */
export async function dockerOrSkip(): Promise<{ docker?: Docker; skip?: string }> {
  const docker = dockerClient();
  try {
    await docker.ping();
    return { docker };
  } catch (e) {
    return { skip: missingTool('Docker', `the engine does not answer: ${(e as Error).message}`) };
  }
}

/**
 * An image with busybox's applets, made with `docker import` from a rootfs of the host's static
 * busybox (Debian's busybox-static), so no registry is needed.
 */
export async function ensureTestImage(docker: Docker): Promise<string> {
  if (await imageExists(docker, TEST_IMAGE)) return TEST_IMAGE;
  const busybox = ['/bin/busybox', '/usr/bin/busybox'].find((p) => fs.existsSync(p));
  if (!busybox)
    throw new Error('busybox is not installed: apt-get install busybox-static (scripts/ci-setup.sh does)');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-rootfs-'));
  try {
    fs.mkdirSync(path.join(root, 'bin'));
    fs.mkdirSync(path.join(root, 'tmp'));
    fs.copyFileSync(busybox, path.join(root, 'bin', 'busybox'));
    fs.chmodSync(path.join(root, 'bin', 'busybox'), 0o755);
    for (const a of APPLETS) fs.symlinkSync('busybox', path.join(root, 'bin', a));
    const tar = spawn('tar', ['-C', root, '-cf', '-', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':');
    const stream = await docker.importImage(tar.stdout as unknown as NodeJS.ReadableStream, {
      repo,
      tag,
      changes: ['ENV PATH=/bin', 'CMD ["sh"]'],
    });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (e) => (e ? reject(e) : resolve())),
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
  if (!(await imageExists(docker, TEST_IMAGE))) throw new Error(`docker import did not make ${TEST_IMAGE}`);
  return TEST_IMAGE;
}

/** Remove every container carrying a label, whatever state it is in (test cleanup). */
export async function removeLabelled(docker: Docker, label: string): Promise<void> {
  const list = await docker.listContainers({ all: true, filters: { label: [label] } });
  await Promise.all(
    list.map((c) =>
      docker
        .getContainer(c.Id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
}

/** Whether the docker CLI is there (the fake kind runs it). */
export function hasDockerCli(): boolean {
  try {
    execFileSync('docker', ['version', '--format', '{{.Client.Version}}'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
