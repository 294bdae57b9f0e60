import * as path from 'node:path';
import { packageRoot } from '../../../state/install.js';
import { DEFAULT_INGRESS_PORT } from '../config.js';
import { KNATIVE_VERSION } from '../versions.js';
import type { AddonId } from './names.js';

/**
 * What each addon is, as an ordered list of steps. Upstream manifests are applied by URL on
 * the learner's machine (pinned releases); the small ones clusterlab owns ship in
 * labs/kind/addons/.
 */
export type AddonStep =
  | { kind: 'apply'; what: string; source: string }
  | { kind: 'mergePatch'; what: string; namespace: string; resource: string; patch: Record<string, unknown> }
  | { kind: 'waitAvailable'; what: string; namespace: string; timeoutSeconds: number }
  | { kind: 'defaultStorageClass'; what: string; name: string };

export interface Addon {
  id: AddonId;
  title: string;
  /** Whether its steps run kubectl (then kubectl is required on the host). */
  needsKubectl: boolean;
  steps: AddonStep[];
}

const KNATIVE_SERVING = `https://github.com/knative/serving/releases/download/${KNATIVE_VERSION}`;
const KOURIER = `https://github.com/knative-extensions/net-kourier/releases/download/${KNATIVE_VERSION}`;

export const addonFile = (name: string, root: string = packageRoot()) =>
  path.join(root, 'labs', 'kind', 'addons', name);

export function addonCatalog(root: string = packageRoot()): Record<AddonId, Addon> {
  return {
    'local-path': {
      id: 'local-path',
      title: 'local-path storage (the default StorageClass)',
      needsKubectl: false,
      // kind installs it; the step proves the class is there and marked default.
      steps: [
        { kind: 'defaultStorageClass', what: 'StorageClass "standard" is the default', name: 'standard' },
      ],
    },
    serverless: {
      id: 'serverless',
      title: `Knative Serving ${KNATIVE_VERSION.replace('knative-', '')} with Kourier on the lab's ingress port`,
      needsKubectl: true,
      steps: [
        { kind: 'apply', what: 'Knative Serving CRDs', source: `${KNATIVE_SERVING}/serving-crds.yaml` },
        { kind: 'apply', what: 'Knative Serving core', source: `${KNATIVE_SERVING}/serving-core.yaml` },
        { kind: 'apply', what: 'Kourier ingress', source: `${KOURIER}/kourier.yaml` },
        {
          kind: 'mergePatch',
          what: 'Kourier as the ingress class',
          namespace: 'knative-serving',
          resource: 'configmap/config-network',
          patch: { data: { 'ingress-class': 'kourier.ingress.networking.knative.dev' } },
        },
        {
          kind: 'mergePatch',
          what: 'routes under 127.0.0.1.sslip.io',
          namespace: 'knative-serving',
          resource: 'configmap/config-domain',
          patch: { data: { '127.0.0.1.sslip.io': '' } },
        },
        {
          kind: 'apply',
          what: `the gateway on NodePort ${DEFAULT_INGRESS_PORT.nodePort}`,
          source: addonFile('serverless-ingress.yaml', root),
        },
        {
          kind: 'waitAvailable',
          what: 'Knative Serving ready',
          namespace: 'knative-serving',
          timeoutSeconds: 300,
        },
        { kind: 'waitAvailable', what: 'Kourier ready', namespace: 'kourier-system', timeoutSeconds: 300 },
      ],
    },
    'memcached-crd': {
      id: 'memcached-crd',
      title: 'the Memcached CRD (cache.example.com/v1alpha1) of the operator scenario',
      needsKubectl: true,
      steps: [
        {
          kind: 'apply',
          what: 'CRD memcacheds.cache.example.com',
          source: addonFile('memcached-crd.yaml', root),
        },
      ],
    },
  };
}

/** The URLs of upstream manifests the addons apply (prefetch reads their images from them). */
export function addonManifestUrls(ids: readonly AddonId[], root?: string): string[] {
  const catalog = addonCatalog(root);
  return ids.flatMap((id) => catalog[id].steps.flatMap((s) => (s.kind === 'apply' ? [s.source] : [])));
}
