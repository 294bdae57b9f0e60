import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse, stringify } from 'yaml';
import { UserError } from '../../errors.js';
import { writeFileAtomic } from '../../sim/files.js';

interface Named<T> {
  name: string;
  [k: string]: unknown;
  cluster?: T;
  user?: T;
  context?: T;
}
interface KubeconfigDoc {
  clusters?: Array<Named<Record<string, unknown>>>;
  users?: Array<Named<Record<string, unknown>>>;
  contexts?: Array<Named<{ cluster?: string; user?: string; namespace?: string }>>;
  'current-context'?: string;
}

/** One context of the user's kubeconfig, with its cluster and user, paths made absolute. */
export interface SourceContext {
  files: string[];
  context: string;
  cluster: Record<string, unknown>;
  user: Record<string, unknown>;
  server: string;
}

/** The user's kubeconfig files as kubectl finds them: $KUBECONFIG (a path list), else ~/.kube/config. */
export function kubeconfigFiles(env: NodeJS.ProcessEnv): string[] {
  const list = env.KUBECONFIG?.split(path.delimiter).filter(Boolean);
  if (list && list.length > 0) return list.filter((f) => fs.existsSync(f));
  const home = env.HOME || env.USERPROFILE || os.homedir();
  const file = path.join(home, '.kube', 'config');
  return fs.existsSync(file) ? [file] : [];
}

const PATH_FIELDS = ['certificate-authority', 'client-certificate', 'client-key', 'tokenFile'];

/**
 * Read the context to use, merging the files as kubectl does (the first file that names an
 * entry wins, and the first current-context wins).
 */
export function readSourceContext(env: NodeJS.ProcessEnv, wanted?: string): SourceContext {
  const files = kubeconfigFiles(env);
  if (files.length === 0)
    throw new UserError(
      `there is no kubeconfig to use (${env.KUBECONFIG ? `KUBECONFIG=${env.KUBECONFIG} names no file` : '~/.kube/config does not exist'}); the kubeconfig backend uses a cluster you already have`,
      { fix: 'export KUBECONFIG=/path/to/your/kubeconfig' },
    );
  const clusters = new Map<string, Record<string, unknown>>();
  const users = new Map<string, Record<string, unknown>>();
  const contexts = new Map<string, { cluster?: string; user?: string }>();
  let current: string | undefined;
  for (const file of files) {
    let doc: KubeconfigDoc;
    try {
      doc = (parse(fs.readFileSync(file, 'utf8')) ?? {}) as KubeconfigDoc;
    } catch (e) {
      throw new UserError(`${file} is not a valid kubeconfig: ${(e as Error).message}`, {
        fix: `kubectl config view --kubeconfig ${file}`,
      });
    }
    const dir = path.dirname(path.resolve(file));
    for (const c of doc.clusters ?? [])
      if (!clusters.has(c.name)) clusters.set(c.name, absolute(c.cluster ?? {}, dir));
    for (const u of doc.users ?? []) if (!users.has(u.name)) users.set(u.name, absolute(u.user ?? {}, dir));
    for (const c of doc.contexts ?? []) if (!contexts.has(c.name)) contexts.set(c.name, c.context ?? {});
    current ??= doc['current-context'] || undefined;
  }
  const name = wanted ?? current;
  const names = [...contexts.keys()];
  if (!name)
    throw new UserError(
      `${files.join(', ')} has no current context; say which one to use (${names.join(', ') || 'it has none'})`,
      {
        fix: `clusterlab up --backend kubeconfig --context ${names[0] ?? 'CONTEXT'}`,
      },
    );
  const ctx = contexts.get(name);
  if (!ctx)
    throw new UserError(
      `there is no context "${name}" in ${files.join(', ')} (its contexts: ${names.join(', ') || 'none'})`,
      {
        fix: 'kubectl config get-contexts',
      },
    );
  const cluster = ctx.cluster ? clusters.get(ctx.cluster) : undefined;
  const user = ctx.user ? users.get(ctx.user) : undefined;
  if (!cluster || typeof cluster.server !== 'string')
    throw new UserError(
      `context "${name}" names cluster "${ctx.cluster}", which ${files.join(', ')} does not define`,
      {
        fix: 'kubectl config view',
      },
    );
  return { files, context: name, cluster, user: user ?? {}, server: cluster.server };
}

function absolute(entry: Record<string, unknown>, dir: string): Record<string, unknown> {
  const out = { ...entry };
  for (const k of PATH_FIELDS) {
    const v = out[k];
    if (typeof v === 'string' && v !== '' && !path.isAbsolute(v)) out[k] = path.join(dir, v);
  }
  return out;
}

/** A kubeconfig of one context, named `clusterlab-<lab>`, in the lab's namespace. */
export function renderLabKubeconfig(lab: string, source: SourceContext, namespace?: string): string {
  const name = `clusterlab-${lab}`;
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: source.cluster }],
    users: [{ name, user: source.user }],
    contexts: [{ name, context: { cluster: name, user: name, ...(namespace ? { namespace } : {}) } }],
    'current-context': name,
    preferences: {},
  });
}

/** The lab's own kubeconfig, private to the user (it may hold the user's credentials). */
export function writeLabKubeconfig(
  file: string,
  lab: string,
  source: SourceContext,
  namespace: string,
): void {
  writeFileAtomic(file, renderLabKubeconfig(lab, source, namespace), 0o600);
}
