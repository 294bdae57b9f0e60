/** The syntax tree of the busybox `sh` subset (see `parse.ts`). */

export type WordPart =
  | { kind: 'lit'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean; fallback?: Word }
  | { kind: 'cmd'; script: string; quoted: boolean }
  | { kind: 'arith'; expr: string; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  fd: 1 | 2 | 0;
  op: '>' | '>>' | '<' | '>&';
  /** A file, or for `>&` the fd it duplicates (`2>&1`). */
  target: Word;
}

export type Node =
  | { type: 'simple'; assigns: Array<[string, Word]>; words: Word[]; redirects: Redirect[] }
  | { type: 'pipeline'; negate: boolean; commands: Node[] }
  | { type: 'andor'; first: Node; rest: Array<['&&' | '||', Node]> }
  | { type: 'list'; items: Node[] }
  | { type: 'loop'; until: boolean; cond: Node; body: Node }
  | { type: 'for'; name: string; words: Word[] | undefined; body: Node }
  | { type: 'if'; clauses: Array<{ cond: Node; body: Node }>; otherwise?: Node }
  | { type: 'group'; body: Node; redirects: Redirect[] };

export class ShellSyntaxError extends Error {}
