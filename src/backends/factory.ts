import { UserError } from '../errors.js';
import type { BackendContext, BackendName, ClusterBackend } from './types.js';

type BackendLoader = (ctx: BackendContext) => Promise<ClusterBackend>;

/** The built backends, loaded on first use. Adding one is one line here plus its folder. */
const BUILT: Partial<Record<BackendName, BackendLoader>> = {
  sim: async (ctx) => (await import('./sim/index.js')).createSimBackend(ctx),
  kind: async (ctx) => (await import('./kind/index.js')).createKindBackend(ctx),
  kubeconfig: async (ctx) => (await import('./kubeconfig/index.js')).createKubeconfigBackend(ctx),
  vagrant: async (ctx) => (await import('./vagrant/index.js')).createVagrantBackend(ctx),
};

/** Backends the design promises and later issues build; asking for one says so. */
const PLANNED: Record<BackendName, string> = {
  sim: 'an embedded simulated cluster',
  kind: 'kind clusters whose nodes run CRI-O',
  vagrant: 'kubeadm clusters on Vagrant VMs',
  kubeconfig: 'an existing cluster you already have a kubeconfig for',
};

export const DEFAULT_BACKEND: BackendName = 'sim';

export const builtBackends = (): BackendName[] => Object.keys(BUILT) as BackendName[];

export const knownBackends = (): BackendName[] => Object.keys(PLANNED) as BackendName[];

export async function createBackend(name: string, ctx: BackendContext): Promise<ClusterBackend> {
  const loader = BUILT[name as BackendName];
  if (loader) return loader(ctx);
  const built = builtBackends().join(', ');
  if (name in PLANNED)
    throw new UserError(
      `the ${name} backend (${PLANNED[name as BackendName]}) is not built yet; ` +
        `the backends available in this version are: ${built}`,
      { fix: `clusterlab up --backend ${DEFAULT_BACKEND}` },
    );
  throw new UserError(`there is no backend called "${name}"; choose one of: ${built}`, {
    fix: `clusterlab up --backend ${DEFAULT_BACKEND}`,
  });
}
