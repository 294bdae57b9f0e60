import { createHash } from 'node:crypto';

/**
 * Names on a shared cluster: each learner's lab is a namespace of its own, labelled so that
 * clusterlab only ever deletes what it made.
 */
export const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'clusterlab' };
export const LAB_LABEL = 'clusterlab.dev/lab';
export const LEARNER_LABEL = 'clusterlab.dev/learner';

/** A DNS-label form of a learner's name (`Ana María` → `ana-mar-a`). */
export function learnerSlug(learner: string): string {
  return (
    learner
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 20)
      .replace(/-+$/, '') || 'learner'
  );
}

/**
 * `clusterlab-<learner>-<lab>`: 50 learners on one cluster with the default lab name `lab` get
 * 50 namespaces. Longer than a DNS label allows, it is cut and given a hash of the whole.
 */
export function labNamespace(learner: string, lab: string): string {
  const full = `clusterlab-${learnerSlug(learner)}-${lab}`;
  if (full.length <= 63) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, 54).replace(/-+$/, '')}-${hash}`;
}

export const probePodName = 'clusterlab-probe';

/** The privileged pod that stands in for a shell on `node` (like `kubectl debug node/…`). */
export const nodeShellPodName = (node: string): string =>
  `clusterlab-node-${createHash('sha256').update(node).digest('hex').slice(0, 10)}`;

/** What the probe and node-shell pods run: busybox has `nsenter`, `sleep` and `true`. */
export const SHELL_IMAGE = 'docker.io/library/busybox:1.36.1';
