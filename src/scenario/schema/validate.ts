import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isMap,
  isScalar,
  isSeq,
  type LineCounter,
  type Node,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { parseDuration } from '../duration.js';
import { closest, hint } from '../suggest.js';
import type { SchemaDefs, Spec } from './dsl.js';

/** One thing wrong with a scenario, where it is, and what to write instead. */
export interface Problem {
  file: string;
  line: number;
  col: number;
  message: string;
}

export interface Pos {
  line: number;
  col: number;
}

/** Where each value (and each key) of the document is, by path (`steps.2.checks.0.resource`). */
export type Positions = Map<string, { value: Pos; key?: Pos }>;

interface Ctx {
  file: string;
  dir: string;
  lines: LineCounter;
  defs: SchemaDefs['defs'];
  problems: Problem[];
  positions: Positions;
}

export function posOf(lines: LineCounter, offset: number): Pos {
  const p = lines.linePos(offset);
  return { line: p.line, col: p.col };
}

/** Validate a YAML node tree against `schema`; returns the plain value (undefined parts where invalid). */
export function validateDocument(
  root: Node | null,
  schema: SchemaDefs,
  o: { file: string; dir: string; lines: LineCounter },
): { value: unknown; problems: Problem[]; positions: Positions } {
  const ctx: Ctx = { ...o, defs: schema.defs, problems: [], positions: new Map() };
  const value = walk(root, schema.root, 'the document', '', ctx);
  return { value, problems: ctx.problems, positions: ctx.positions };
}

function report(ctx: Ctx, node: Node | null | undefined, message: string, extra = 0): void {
  const offset = (node?.range?.[0] ?? 0) + extra;
  ctx.problems.push({ file: ctx.file, ...posOf(ctx.lines, offset), message });
}

const kindOf = (node: Node | null): string =>
  node === null
    ? 'empty'
    : isMap(node)
      ? 'a mapping'
      : isSeq(node)
        ? 'a list'
        : typeof (node as Scalar).value === 'string'
          ? `"${(node as Scalar).value}"`
          : (node as Scalar).value === null
            ? 'empty'
            : String((node as Scalar).value);

function expects(spec: Spec, defs: SchemaDefs['defs']): string {
  switch (spec.type) {
    case 'string':
      return spec.enum ? `one of: ${spec.enum.join(', ')}` : 'a string';
    case 'integer':
      return spec.min !== undefined && spec.max !== undefined
        ? `a whole number from ${spec.min} to ${spec.max}`
        : spec.min !== undefined
          ? `a whole number of at least ${spec.min}`
          : 'a whole number';
    case 'boolean':
      return spec.only ? 'true' : 'true or false';
    case 'scalar':
      return 'a string, number or true/false';
    case 'duration':
      return 'a duration like 500ms, 5s, 2m or 1m30s';
    case 'file':
      return `the path of a ${spec.ext} file in the scenario folder, like ${spec.dirHint}`;
    case 'array':
      return `a list of ${spec.itemName}s`;
    case 'object':
      return `a mapping (${spec.what})`;
    case 'map':
      return `a mapping (${spec.what})`;
    case 'oneOf':
      return spec.expects;
    case 'ref':
      return expects(defs[spec.name]!, defs);
  }
}

function fits(node: Node | null, spec: Spec, defs: SchemaDefs['defs']): boolean {
  if (spec.type === 'ref') return fits(node, defs[spec.name]!, defs);
  if (spec.type === 'object' || spec.type === 'map') return isMap(node);
  if (spec.type === 'array') return isSeq(node);
  if (!isScalar(node)) return false;
  const v = node.value;
  switch (spec.type) {
    case 'integer':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'scalar':
      return v !== null;
    default:
      return typeof v === 'string';
  }
}

function walk(node: Node | null, spec: Spec, label: string, at: string, ctx: Ctx): unknown {
  if (node?.range) {
    const prev = ctx.positions.get(at);
    ctx.positions.set(at, { ...prev, value: posOf(ctx.lines, node.range[0]) });
  }
  if (spec.type === 'ref') return walk(node, ctx.defs[spec.name]!, label, at, ctx);
  if (spec.type === 'oneOf') {
    const alt = spec.of.find((s) => fits(node, s, ctx.defs));
    if (!alt) return void report(ctx, node, `${label} must be ${spec.expects}; it is ${kindOf(node)}`);
    return walk(node, alt, label, at, ctx);
  }
  if (spec.type === 'object' || spec.type === 'map') {
    if (!isMap(node))
      return void report(ctx, node, `${label} must be ${expects(spec, ctx.defs)}; it is ${kindOf(node)}`);
    return spec.type === 'object' ? walkObject(node, spec, at, ctx) : walkMap(node, spec, label, at, ctx);
  }
  if (spec.type === 'array') {
    if (!isSeq(node))
      return void report(ctx, node, `${label} must be ${expects(spec, ctx.defs)}; it is ${kindOf(node)}`);
    if (spec.minItems && node.items.length < spec.minItems)
      report(
        ctx,
        node,
        `${label} needs at least ${spec.minItems} ${spec.itemName}${spec.minItems === 1 ? '' : 's'}`,
      );
    return node.items.map((item, i) =>
      walk(item as Node, spec.items, `${spec.itemName} ${i + 1} of ${label}`, `${at}.${i}`, ctx),
    );
  }
  return walkScalar(node, spec, label, ctx);
}

function walkScalar(node: Node | null, spec: Spec, label: string, ctx: Ctx): unknown {
  if (!fits(node, spec, ctx.defs))
    return void report(ctx, node, `${label} must be ${expects(spec, ctx.defs)}; it is ${kindOf(node)}`);
  const scalar = node as Scalar;
  const v = scalar.value;
  switch (spec.type) {
    case 'integer':
      if (
        !Number.isInteger(v) ||
        (spec.min !== undefined && (v as number) < spec.min) ||
        (spec.max !== undefined && (v as number) > spec.max)
      )
        return void report(ctx, node, `${label} must be ${expects(spec, ctx.defs)}; it is ${v}`);
      return v;
    case 'boolean':
      if (spec.only && v !== true)
        return void report(ctx, node, `${label} can only be true (leave it out otherwise)`);
      return v;
    case 'duration':
      if (parseDuration(v as string) === undefined)
        return void report(ctx, node, `${label} must be ${expects(spec, ctx.defs)}; it is "${v}"`);
      return v;
    case 'file':
      return checkFile(scalar, v as string, spec, label, ctx);
    case 'string': {
      const s = v as string;
      if (spec.enum && !spec.enum.includes(s))
        return void report(ctx, node, `${label} is "${s}"${hint(s, spec.enum, 'it must be one of')}`);
      if (spec.pattern && !spec.pattern.test(s))
        return void report(
          ctx,
          node,
          `${label} is "${s}"; write ${spec.patternHint ?? `something matching ${spec.pattern}`}`,
        );
      const p = spec.check?.(s);
      if (p)
        return void report(
          ctx,
          node,
          `${label}: ${p.message}`,
          p.offset === undefined ? 0 : innerOffset(scalar, p.offset),
        );
      return s;
    }
    default:
      return v;
  }
}

/** Where character `i` of a scalar's value is in the source (exact for plain and simply quoted strings). */
function innerOffset(node: Scalar, i: number): number {
  const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return 0;
  return i + (quoted ? 1 : 0);
}

function checkFile(
  node: Scalar,
  rel: string,
  spec: Extract<Spec, { type: 'file' }>,
  label: string,
  ctx: Ctx,
): unknown {
  if (path.isAbsolute(rel) || rel.split(/[\\/]/).includes('..'))
    return void report(
      ctx,
      node,
      `${label} must be a path inside the scenario folder, like ${spec.dirHint}; it is "${rel}"`,
    );
  if (!rel.endsWith(spec.ext))
    return void report(
      ctx,
      node,
      `${label} must name a ${spec.ext} file, like ${spec.dirHint}; it is "${rel}"`,
    );
  const full = path.join(ctx.dir, rel);
  if (fs.existsSync(full) && fs.statSync(full).isFile()) return rel;
  const parent = path.dirname(full);
  const there = fs.existsSync(parent) ? fs.readdirSync(parent).filter((f) => f.endsWith(spec.ext)) : [];
  const near = closest(path.basename(rel), there);
  const relDir = path.dirname(rel) === '.' ? '' : `${path.dirname(rel)}/`;
  const extra = near
    ? `; did you mean "${relDir}${near}"?`
    : there.length > 0
      ? `; the ${spec.ext} files in ${relDir || 'the scenario folder'} are: ${there.join(', ')}`
      : fs.existsSync(parent)
        ? ''
        : `; there is no ${relDir || 'such'} folder`;
  report(ctx, node, `${label}: the file ${rel} does not exist${extra}`);
  return undefined;
}

function walkMap(
  node: YAMLMap,
  spec: Extract<Spec, { type: 'map' }>,
  label: string,
  at: string,
  ctx: Ctx,
): unknown {
  const out: Record<string, unknown> = {};
  for (const pair of node.items) {
    const key = keyName(pair);
    out[key] = walk(pair.value as Node, spec.values, `"${key}" in ${label}`, `${at}.${key}`, ctx);
  }
  return out;
}

const keyName = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));

function walkObject(node: YAMLMap, spec: Extract<Spec, { type: 'object' }>, at: string, ctx: Ctx): unknown {
  const out: Record<string, unknown> = {};
  const known = Object.keys(spec.fields);
  const keyNodes = new Map<string, Node>();
  for (const pair of node.items) {
    const key = keyName(pair);
    const keyNode = pair.key as Node;
    if (keyNodes.has(key)) {
      report(ctx, keyNode, `"${key}" appears twice in ${spec.what}`);
      continue;
    }
    keyNodes.set(key, keyNode);
    const child = at ? `${at}.${key}` : key;
    if (keyNode?.range)
      ctx.positions.set(child, {
        value: posOf(ctx.lines, keyNode.range[0]),
        key: posOf(ctx.lines, keyNode.range[0]),
      });
    const f = spec.fields[key];
    if (!f) {
      report(
        ctx,
        keyNode,
        `unknown field "${key}" in ${spec.what}${hint(key, known, 'the fields here are')}`,
      );
      continue;
    }
    out[key] = walk(pair.value as Node, f.spec, `"${key}"`, child, ctx);
    const pos = ctx.positions.get(child);
    if (pos && keyNode?.range) pos.key = posOf(ctx.lines, keyNode.range[0]);
  }
  const where = (key?: string): Node => (key && keyNodes.get(key)) || node;
  // A misspelt key already got "did you mean"; do not also report the key it was meant to be as missing.
  const meant = new Set([...keyNodes.keys()].filter((k) => !spec.fields[k]).map((k) => closest(k, known)));
  if (spec.exactlyOne) {
    const present = spec.exactlyOne.keys.filter((k) => keyNodes.has(k));
    if (present.length === 0 && !spec.exactlyOne.keys.some((k) => meant.has(k)))
      report(ctx, node, spec.exactlyOne.none);
    if (present.length > 1)
      report(
        ctx,
        where(present[1]),
        spec.exactlyOne.many.replace('%s', present.map((k) => `"${k}"`).join(' and ')),
      );
  }
  for (const [key, f] of Object.entries(spec.fields)) {
    if (f.required && !keyNodes.has(key) && !meant.has(key))
      report(ctx, node, `${spec.what} needs "${key}"${f.example ? ` (for example ${f.example})` : ''}`);
  }
  spec.refine?.(out, (key, message) => report(ctx, where(key), message));
  return out;
}
