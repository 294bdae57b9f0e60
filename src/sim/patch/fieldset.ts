/**
 * Sets of field paths, as server-side apply records ownership: each path element is `f:<name>`
 * (a field or map key), `k:<json>` (a map-list item by its keys), `v:<json>` (a set item) or
 * `i:<n>` (a list index). Serialized as FieldsV1, where `{}` marks a member and `.` marks a
 * node that is a member and also has members below it.
 */

export type PathElement = string;
export type Path = PathElement[];

interface Node {
  member: boolean;
  children: Map<PathElement, Node>;
}

const newNode = (): Node => ({ member: false, children: new Map() });

export class FieldSet {
  private constructor(private readonly root: Node) {}

  static empty(): FieldSet {
    return new FieldSet(newNode());
  }

  static of(paths: Iterable<Path>): FieldSet {
    const s = FieldSet.empty();
    for (const p of paths) s.insert(p);
    return s;
  }

  insert(path: Path): void {
    let n = this.root;
    for (const pe of path) {
      let c = n.children.get(pe);
      if (!c) {
        c = newNode();
        n.children.set(pe, c);
      }
      n = c;
    }
    n.member = true;
  }

  has(path: Path): boolean {
    const n = this.node(path);
    return n?.member ?? false;
  }

  /** Whether the set has `path` or anything below it. */
  hasPrefix(path: Path): boolean {
    const n = this.node(path);
    return n !== undefined && (n.member || n.children.size > 0);
  }

  private node(path: Path): Node | undefined {
    let n: Node | undefined = this.root;
    for (const pe of path) {
      n = n.children.get(pe);
      if (!n) return undefined;
    }
    return n;
  }

  isEmpty(): boolean {
    return !hasMembers(this.root);
  }

  /** Every member path, members of a node before the nodes below it, each level sorted. */
  paths(): Path[] {
    const out: Path[] = [];
    const walk = (n: Node, prefix: Path) => {
      const keys = sortedElements(n.children.keys());
      for (const pe of keys) if (n.children.get(pe)!.member) out.push([...prefix, pe]);
      for (const pe of keys) walk(n.children.get(pe)!, [...prefix, pe]);
    };
    walk(this.root, []);
    return out;
  }

  union(other: FieldSet): FieldSet {
    return FieldSet.of([...this.paths(), ...other.paths()]);
  }

  difference(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => !other.has(p)));
  }

  intersection(other: FieldSet): FieldSet {
    return FieldSet.of(this.paths().filter((p) => other.has(p)));
  }

  /** Only the paths for which `keep` holds. */
  filter(keep: (p: Path) => boolean): FieldSet {
    return FieldSet.of(this.paths().filter(keep));
  }

  equals(other: FieldSet): boolean {
    const a = this.paths().map((p) => p.join('\u0000'));
    const b = other.paths().map((p) => p.join('\u0000'));
    return a.length === b.length && a.every((x, i) => x === b[i]);
  }

  toFieldsV1(): Record<string, unknown> {
    return emit(this.root);
  }

  /** Parse FieldsV1; throws on anything that is not a valid encoding. */
  static fromFieldsV1(json: unknown): FieldSet {
    const root = newNode();
    parseInto(root, json);
    return new FieldSet(root);
  }
}

function hasMembers(n: Node): boolean {
  if (n.member) return true;
  for (const c of n.children.values()) if (hasMembers(c)) return true;
  return false;
}

function emit(n: Node): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const pe of sortedElements(n.children.keys())) {
    const c = n.children.get(pe)!;
    if (!hasMembers(c)) continue;
    const below = emit(c);
    out[pe] = c.member && Object.keys(below).length > 0 ? { '.': {}, ...below } : below;
  }
  return out;
}

function parseInto(n: Node, json: unknown): void {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new Error('FieldsV1 must be a JSON object');
  }
  const entries = Object.entries(json);
  if (entries.length === 0) {
    n.member = true;
    return;
  }
  for (const [k, v] of entries) {
    if (k === '.') {
      n.member = true;
      continue;
    }
    if (!/^[fkvi]:/.test(k)) throw new Error(`unexpected path element ${JSON.stringify(k)}`);
    const pe = k.startsWith('k:') || k.startsWith('v:') ? canonicalJsonElement(k) : k;
    let c = n.children.get(pe);
    if (!c) {
      c = newNode();
      n.children.set(pe, c);
    }
    parseInto(c, v);
  }
}

/** Re-encode `k:`/`v:` elements so equal keys have equal strings whatever the input spacing. */
function canonicalJsonElement(pe: string): string {
  const value = JSON.parse(pe.slice(2));
  if (pe.startsWith('k:')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error('bad key');
    return keyElement(value);
  }
  return valueElement(value);
}

/** `k:{"containerPort":80,"protocol":"TCP"}`: key fields sorted by name. */
export function keyElement(fields: Record<string, unknown>): PathElement {
  const sorted = Object.keys(fields)
    .sort()
    .map((k) => `${goJson(k)}:${goJson(fields[k])}`);
  return `k:{${sorted.join(',')}}`;
}

export const valueElement = (v: unknown): PathElement => `v:${goJson(v)}`;
export const fieldElement = (name: string): PathElement => `f:${name}`;
export const indexElement = (i: number): PathElement => `i:${i}`;

/** JSON as Go's encoder writes it (it escapes <, > and & in strings). */
export function goJson(v: unknown): string {
  if (v !== null && typeof v === 'object') {
    if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
    const keys = Object.keys(v).sort();
    return `{${keys.map((k) => `${goJson(k)}:${goJson((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  const s = JSON.stringify(v ?? null);
  return typeof v === 'string'
    ? s.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    : s;
}

const ORDER: Record<string, number> = { f: 0, k: 1, v: 2, i: 3 };

function sortedElements(keys: Iterable<PathElement>): PathElement[] {
  return [...keys].sort(comparePathElements);
}

/** Upstream's order: fields, then keys, then values, then indexes, each compared by value. */
export function comparePathElements(a: PathElement, b: PathElement): number {
  const ka = ORDER[a[0]!] ?? 9;
  const kb = ORDER[b[0]!] ?? 9;
  if (ka !== kb) return ka - kb;
  const ra = a.slice(2);
  const rb = b.slice(2);
  switch (a[0]) {
    case 'f':
      return ra < rb ? -1 : ra > rb ? 1 : 0;
    case 'i':
      return Number(ra) - Number(rb);
    case 'v':
      return compareValues(JSON.parse(ra), JSON.parse(rb));
    default:
      return compareKeys(JSON.parse(ra), JSON.parse(rb));
  }
}

function compareKeys(a: Record<string, unknown>, b: Record<string, unknown>): number {
  const ak = Object.keys(a).sort();
  const bk = Object.keys(b).sort();
  for (let i = 0; ; i++) {
    if (i >= ak.length && i >= bk.length) return 0;
    if (i >= ak.length) return -1;
    if (i >= bk.length) return 1;
    if (ak[i] !== bk[i]) return ak[i]! < bk[i]! ? -1 : 1;
    const c = compareValues(a[ak[i]!], b[bk[i]!]);
    if (c !== 0) return c;
  }
}

const TYPE_RANK = (v: unknown) =>
  typeof v === 'number'
    ? 0
    : typeof v === 'string'
      ? 1
      : typeof v === 'boolean'
        ? 2
        : Array.isArray(v)
          ? 3
          : v === null
            ? 5
            : 4;

function compareValues(a: unknown, b: unknown): number {
  const ra = TYPE_RANK(a);
  const rb = TYPE_RANK(b);
  if (ra !== rb) return ra - rb;
  if (typeof a === 'number' || typeof a === 'string' || typeof a === 'boolean') {
    return a < (b as typeof a) ? -1 : a > (b as typeof a) ? 1 : 0;
  }
  const sa = goJson(a);
  const sb = goJson(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** `.spec.template.spec.containers[name="web"].image`, as conflict messages print paths. */
export function pathString(path: Path): string {
  return path
    .map((pe) => {
      const rest = pe.slice(2);
      switch (pe[0]) {
        case 'f':
          return `.${rest}`;
        case 'i':
          return `[${rest}]`;
        case 'v':
          return `[=${rest}]`;
        default: {
          const key = JSON.parse(rest) as Record<string, unknown>;
          const parts = Object.keys(key)
            .sort()
            .map((k) => `${k}=${JSON.stringify(key[k])}`);
          return `[${parts.join(',')}]`;
        }
      }
    })
    .join('');
}
