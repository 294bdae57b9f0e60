import * as fs from 'node:fs';
import * as path from 'node:path';
import type Docker from 'dockerode';
import { SHELL_IMAGE } from '../kubeconfig/names.js';
import { dockerExecOnce } from './run-once.js';

/**
 * Image references in manifest or script text: `image:` fields, `--image=` flags, and
 * Knative's queue-proxy image, which its config map names instead of a pod spec.
 */
export function imagesInText(text: string): string[] {
  const found = new Set<string>();
  const patterns = [
    /^\s*(?:-\s+)?image:\s*["']?([^\s"'#]+)/gm,
    /--image[= ]["']?([^\s"']+)/g,
    /queue-sidecar-image:\s*["']?([^\s"'#]+)/g,
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) if (looksLikeImage(m[1]!)) found.add(m[1]!);
  return [...found].sort();
}

const looksLikeImage = (ref: string) =>
  /^[a-z0-9][a-z0-9._/:@-]*$/i.test(ref) && !ref.includes('$') && !ref.endsWith(':');

/** Images named in the files of the built-in scenarios (their manifests and solutions). */
export function scenarioImages(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  const images = new Set<string>();
  for (const rel of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, rel);
    if (!/\.(ya?ml|sh|md)$/.test(rel) || !fs.statSync(file).isFile()) continue;
    for (const i of imagesInText(fs.readFileSync(file, 'utf8'))) images.add(i);
  }
  return [...images].sort();
}

/**
 * What a node pulls on its first boot: the control-plane images kubeadm lists for the version
 * and the images of kind's CNI and storage manifests, read from the node image itself (CRI-O
 * starts with an empty image store; kind's preloaded images are containerd's).
 */
export async function nodeBootImages(
  docker: Docker,
  nodeImage: string,
  kubernetesVersion: string,
): Promise<string[]> {
  const script = `kubeadm config images list --kubernetes-version ${kubernetesVersion} 2>/dev/null; cat /kind/manifests/*.yaml 2>/dev/null`;
  const out = await dockerExecOnce(docker, nodeImage, ['/bin/sh', '-c', script]);
  const kubeadm = out
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z0-9.-]+\.[a-z]+\/\S+:\S+$/.test(l));
  return [...new Set([...kubeadm, ...imagesInText(out)])].sort();
}

/** Images clusterlab itself starts on a cluster (the kubeconfig backend's probe and node shells). */
export const OWN_IMAGES = [SHELL_IMAGE];
