import type { ResourceType } from './types.js';

/** Upstream's order of API groups in discovery; groups from CRDs follow, sorted. */
const GROUP_ORDER = [
  '',
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

export interface GroupInfo {
  name: string;
  /** Versions, preferred first. */
  versions: string[];
}

/** Every resource type the API server serves: the built-in ones and those CRDs add. */
export class Registry {
  private readonly types = new Map<string, ResourceType>();
  private readonly listeners = new Set<() => void>();
  private revision = 0;

  private static key(group: string, version: string, plural: string) {
    return `${group}/${version}/${plural}`;
  }

  register(t: ResourceType): void {
    this.types.set(Registry.key(t.group, t.version, t.plural), t);
    this.changed();
  }

  unregister(group: string, version: string, plural: string): void {
    if (this.types.delete(Registry.key(group, version, plural))) this.changed();
  }

  private changed() {
    this.revision++;
    for (const l of this.listeners) l();
  }

  /** Changes whenever the set of served types changes (discovery documents use it as an ETag). */
  get generation(): number {
    return this.revision;
  }

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  lookup(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.get(Registry.key(group, version, plural));
  }

  /** The served type for a kind in a group (any version, preferred first). */
  byKind(group: string, kind: string): ResourceType | undefined {
    const candidates = this.all().filter((t) => t.group === group && t.kind === kind);
    const versions = this.groups().find((g) => g.name === group)?.versions ?? [];
    candidates.sort((a, b) => versions.indexOf(a.version) - versions.indexOf(b.version));
    return candidates[0];
  }

  byStorage(storage: string): ResourceType[] {
    return this.all().filter((t) => t.storage === storage);
  }

  all(): ResourceType[] {
    return [...this.types.values()];
  }

  inGroupVersion(group: string, version: string): ResourceType[] {
    return this.all().filter((t) => t.group === group && t.version === version);
  }

  groups(): GroupInfo[] {
    const byGroup = new Map<string, Set<string>>();
    for (const t of this.types.values()) {
      if (!byGroup.has(t.group)) byGroup.set(t.group, new Set());
      byGroup.get(t.group)!.add(t.version);
    }
    const rank = (g: string) => {
      const i = GROUP_ORDER.indexOf(g);
      return i === -1 ? GROUP_ORDER.length : i;
    };
    return [...byGroup.entries()]
      .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
      .map(([name, versions]) => ({ name, versions: sortVersions([...versions]) }));
  }
}

/** Kubernetes version priority: GA before beta before alpha, higher numbers first. */
export function sortVersions(versions: string[]): string[] {
  const parse = (v: string) => {
    const m = /^v(\d+)(?:(alpha|beta)(\d+))?$/.exec(v);
    if (!m) return { kube: false, major: 0, stage: 0, minor: 0 };
    const stage = m[2] === undefined ? 3 : m[2] === 'beta' ? 2 : 1;
    return { kube: true, major: Number(m[1]), stage, minor: Number(m[3] ?? 0) };
  };
  return versions.sort((a, b) => {
    const pa = parse(a);
    const pb = parse(b);
    if (pa.kube !== pb.kube) return pa.kube ? -1 : 1;
    if (!pa.kube) return a.localeCompare(b);
    return pb.stage - pa.stage || pb.major - pa.major || pb.minor - pa.minor;
  });
}
