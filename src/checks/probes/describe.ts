import type { CountTest, ObjectRef } from '../types.js';

/** Short descriptions of what a probe looks at, for expected/actual lines. */

export const plural = (n: number, word: string) =>
  `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;

/** `Deployment shop/web`, `Node lab-worker`. */
export function objectName(kind: string, namespace: string | undefined, name: string): string {
  return namespace ? `${kind} ${namespace}/${name}` : `${kind} ${name}`;
}

/** `Pods in namespace shop with labels app=web`. */
export function describeSelection(ref: ObjectRef): string {
  const where = [ref.namespace ? `in namespace ${ref.namespace}` : ''];
  if (ref.labelSelector) where.push(`with labels ${ref.labelSelector.source}`);
  if (ref.fieldSelector) where.push(`with fields ${ref.fieldSelector.source}`);
  return `${ref.kind}s ${where.filter(Boolean).join(' ')}`.trim();
}

export function countPhrase(c: CountTest): string {
  switch (c.op) {
    case 'all':
      return 'every one of the';
    case 'eq':
      return `exactly ${c.n} of the`;
    case 'gt':
      return `more than ${c.n} of the`;
    case 'gte':
      return `at least ${c.n} of the`;
    case 'lt':
      return `fewer than ${c.n} of the`;
    case 'lte':
      return `at most ${c.n} of the`;
  }
}

/** Long output cut to what fits on a line or two of a terminal. */
export function clip(s: string, max = 160): string {
  const one = s.replace(/\s+$/, '');
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}
