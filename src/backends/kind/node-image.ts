import * as path from 'node:path';
import type Docker from 'dockerode';
import { UserError } from '../../errors.js';
import { packageRoot } from '../../state/install.js';
import { buildContextImage, ImageBuildError } from '../docker/build.js';
import type { Logger } from '../types.js';
import { NODE_IMAGE_REPOSITORY, OWNER_LABEL, OWNER_VALUE } from './names.js';
import { BASE_NODE_IMAGES, CRIO_PACKAGES, kindKubernetesVersions, minorOf, PAUSE_IMAGE } from './versions.js';

/** The build context of the CRI-O node image, shipped with clusterlab. */
export const nodeImageContext = (root: string = packageRoot()) => path.join(root, 'labs', 'kind', 'crio');

/** Build arguments of the node image for a Kubernetes version; refused for versions not pinned. */
export function nodeImageBuildArgs(kubernetesVersion: string): Record<string, string> {
  const base = BASE_NODE_IMAGES[kubernetesVersion];
  const crio = CRIO_PACKAGES[minorOf(kubernetesVersion)];
  if (!base || !crio)
    throw new UserError(
      `the kind backend makes Kubernetes ${kindKubernetesVersions().join(', ')} nodes; the lab asks for ${kubernetesVersion}`,
      { fix: `set kubernetesVersion: ${kindKubernetesVersions()[0]} in the lab definition` },
    );
  return { BASE_IMAGE: base, CRIO_STREAM: crio.stream, CRIO_VERSION: crio.version, PAUSE_IMAGE };
}

export interface NodeImageEvents {
  line?(text: string): void;
  step?(done: number, total: number): void;
}

/**
 * The node image for a lab: `CLUSTERLAB_KIND_NODE_IMAGE` when set (a room that prepared its own),
 * otherwise the shipped context built by Docker and tagged by its hash, reused when present.
 */
export async function ensureNodeImage(
  docker: Docker,
  kubernetesVersion: string,
  env: NodeJS.ProcessEnv,
  events: NodeImageEvents,
  signal: AbortSignal,
  log: Logger,
  contextDir: string = nodeImageContext(),
): Promise<{ image: string; source: 'env' | 'built' | 'reused' }> {
  const preset = env.CLUSTERLAB_KIND_NODE_IMAGE;
  if (preset) return { image: preset, source: 'env' };
  const buildArgs = nodeImageBuildArgs(kubernetesVersion);
  try {
    const r = await buildContextImage(
      docker,
      {
        contextDir,
        repository: NODE_IMAGE_REPOSITORY,
        tagPrefix: kubernetesVersion,
        buildArgs,
        labels: { [OWNER_LABEL]: OWNER_VALUE },
      },
      {
        line: (l) => {
          log.debug(`docker build: ${l}`);
          events.line?.(l);
        },
        step: events.step,
      },
      signal,
    );
    return { image: r.image, source: r.built ? 'built' : 'reused' };
  } catch (err) {
    if (signal.aborted) throw err;
    if (err instanceof ImageBuildError)
      throw new UserError(
        `failed to build the CRI-O node image: ${err.message}\n${err.output.map((l) => `  ${l}`).join('\n')}`,
        {
          cause: err,
          fix: `docker build ${buildArgFlags(buildArgs)} ${contextDir}  (to see the whole build; it needs the internet)`,
        },
      );
    throw err;
  }
}

const buildArgFlags = (args: Record<string, string>) =>
  Object.entries(args)
    .map(([k, v]) => `--build-arg ${k}='${v}'`)
    .join(' ');
