import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildContextImage, contextTag, ImageBuildError } from '../../src/backends/docker/build.js';
import { imageExists } from '../../src/backends/docker/containers.js';
import { ensureNodeImage } from '../../src/backends/kind/node-image.js';
import { silentLogger } from '../../src/backends/types.js';
import { dockerOrSkip, ensureTestImage } from './helpers/docker.js';

const { docker, skip } = await dockerOrSkip();
const made: string[] = [];
const REPO = 'clusterlab-test/built';

function context(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clusterlab-ctx-'));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe.skipIf(!!skip)('building images with dockerode, against the real Docker engine', () => {
  afterAll(async () => {
    for (const tag of made)
      await docker
        ?.getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
  });

  it('builds a context with streamed steps, tags it by its hash, and reuses it the second time', async () => {
    const base = await ensureTestImage(docker!);
    const dir = context({
      Dockerfile: `FROM ${base}\nCOPY files/ /\nRUN ["sh", "-c", "echo built > /built"]\n`,
      'files/etc/greeting': 'hello\n',
    });
    const req = { contextDir: dir, repository: REPO, tagPrefix: 't' };
    const steps: Array<[number, number]> = [];
    const lines: string[] = [];
    const first = await buildContextImage(docker!, req, {
      step: (d, t) => steps.push([d, t]),
      line: (l) => lines.push(l),
    });
    made.push(first.image);
    expect(first).toEqual({ image: contextTag(req), built: true });
    expect(first.image).toMatch(/^clusterlab-test\/built:t-[0-9a-f]{12}$/);
    expect(steps).toEqual([
      [0, 3],
      [1, 3],
      [2, 3],
    ]);
    expect(lines.some((l) => l.includes('Step 3/3 : RUN'))).toBe(true);
    // What the context says is in the image.
    const c = await docker!.createContainer({ Image: first.image, Cmd: ['cat', '/etc/greeting', '/built'] });
    await c.start();
    await c.wait();
    const logs = (await c.logs({ stdout: true })).toString('utf8');
    await c.remove();
    expect(logs).toContain('hello');
    expect(logs).toContain('built');

    const again: Array<[number, number]> = [];
    const second = await buildContextImage(docker!, req, { step: (d, t) => again.push([d, t]) });
    expect(second).toEqual({ image: first.image, built: false });
    expect(again).toEqual([]);

    fs.writeFileSync(path.join(dir, 'files/etc/greeting'), 'hello again\n');
    const changed = contextTag(req);
    expect(changed).not.toBe(first.image);
    expect(await imageExists(docker!, changed)).toBe(false);
  });

  it('reports a failed build with the end of its output and leaves no image', async () => {
    const base = await ensureTestImage(docker!);
    const dir = context({
      Dockerfile: `FROM ${base}\nRUN ["sh", "-c", "echo cannot reach the package mirror >&2; exit 7"]\n`,
    });
    const req = { contextDir: dir, repository: REPO, tagPrefix: 'fail' };
    const err = await buildContextImage(docker!, req).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ImageBuildError);
    expect((err as ImageBuildError).message).toMatch(/returned a non-zero code: 7/);
    expect((err as ImageBuildError).output.join('\n')).toContain('cannot reach the package mirror');
    expect(await imageExists(docker!, contextTag(req))).toBe(false);
  });

  it('makes the CRI-O node image tag from the lab version and the context, and reuses it', async () => {
    const base = await ensureTestImage(docker!);
    // The shipped context needs the internet (kindest/node, CRI-O packages); this one stands in.
    const dir = context({
      Dockerfile: `ARG BASE_IMAGE\nARG CRIO_STREAM\nARG CRIO_VERSION\nARG PAUSE_IMAGE\nFROM ${base}\nRUN ["sh", "-c", "echo $CRIO_STREAM > /crio-stream"]\n`,
    });
    const signal = new AbortController().signal;
    const first = await ensureNodeImage(docker!, 'v1.33.1', {}, {}, signal, silentLogger, dir);
    made.push(first.image);
    expect(first.source).toBe('built');
    expect(first.image).toMatch(/^clusterlab\/kind-node-crio:v1\.33\.1-[0-9a-f]{12}$/);
    const second = await ensureNodeImage(docker!, 'v1.33.1', {}, {}, signal, silentLogger, dir);
    expect(second).toEqual({ image: first.image, source: 'reused' });
    const preset = await ensureNodeImage(
      docker!,
      'v1.33.1',
      { CLUSTERLAB_KIND_NODE_IMAGE: 'mine:1' },
      {},
      signal,
      silentLogger,
      dir,
    );
    expect(preset).toEqual({ image: 'mine:1', source: 'env' });
    await expect(ensureNodeImage(docker!, 'v1.20.0', {}, {}, signal, silentLogger, dir)).rejects.toThrow(
      /makes Kubernetes v1\.33\.1 nodes; the lab asks for v1\.20\.0/,
    );
  });
});
