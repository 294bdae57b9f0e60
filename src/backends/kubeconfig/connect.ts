import { KubeConfig } from '@kubernetes/client-node';
import { UserError } from '../../errors.js';
import { KubeClient } from '../../kube/client.js';
import { renderLabKubeconfig, type SourceContext } from './source.js';

/** A client for the user's chosen context, without writing anything. */
export function sourceClient(source: SourceContext): KubeClient {
  const kc = new KubeConfig();
  kc.loadFromString(renderLabKubeconfig('source', source));
  return new KubeClient(kc);
}

/** The cluster answers /version; otherwise say which context and server did not. */
export async function requireAnswer(client: KubeClient, source: SourceContext): Promise<string> {
  try {
    const r = await client.request('GET', '/version', { timeoutMs: 10_000 });
    if (r.status === 401 || r.status === 403)
      throw new Error(`it refused our credentials (${r.status}); log in again to the cluster`);
    if (r.status >= 300) throw new Error(`/version answered ${r.status}`);
    return (JSON.parse(r.body) as { gitVersion?: string }).gitVersion ?? '';
  } catch (e) {
    throw new UserError(
      `the cluster of context "${source.context}" (${source.server}) does not answer: ${(e as Error).message}`,
      { fix: `kubectl --context ${source.context} cluster-info` },
    );
  }
}
