import { isMap, isScalar, type LineCounter, type Node, type YAMLMap } from 'yaml';
import { UserError } from '../errors.js';

/**
 * Reads fields out of a parsed YAML document and fails with `file:line:col: what is wrong;
 * what to write instead`, so every check of a lab definition points at the offending text.
 */
export class DefinitionReader {
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  at(node: Node | null | undefined): string {
    const offset = node?.range?.[0];
    if (offset === undefined) return this.file;
    const pos = this.lines.linePos(offset);
    return `${this.file}:${pos.line}:${pos.col}`;
  }

  fail(node: Node | null | undefined, msg: string): never {
    throw new UserError(`${this.at(node)}: ${msg}`);
  }

  field(map: YAMLMap, key: string): Node | undefined {
    return map.get(key, true) as Node | undefined;
  }

  /** Every key of `map` must be one of `allowed`. */
  checkKeys(map: YAMLMap, allowed: string[], where = 'here'): void {
    for (const pair of map.items) {
      const key = pair.key as Node;
      const name = isScalar(key) ? String(key.value) : String(key);
      if (!allowed.includes(name))
        this.fail(key, `unknown field "${name}"; the fields ${where} are: ${allowed.join(', ')}`);
    }
  }

  /** A mapping at `key`, or undefined when the key is absent. */
  map(parent: YAMLMap, key: string, path: string, example: string): YAMLMap | undefined {
    const node = this.field(parent, key);
    if (node === undefined || (isScalar(node) && node.value === null)) return undefined;
    if (!isMap(node)) return this.fail(node, `"${path}" is a mapping: ${example}`);
    return node;
  }

  /** A non-empty string at `key`; `fallback` when absent (required when there is none). */
  str(
    parent: YAMLMap,
    key: string,
    path: string,
    fallback?: string,
    pattern?: RegExp,
    example?: string,
  ): string {
    const node = this.field(parent, key);
    if (node === undefined) {
      if (fallback !== undefined) return fallback;
      return this.fail(parent, `the required field "${path}" is missing`);
    }
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'string' || value === '')
      return this.fail(node, `"${path}" must be a non-empty string`);
    if (pattern && !pattern.test(value))
      return this.fail(node, `"${path}" is "${value}"; write it like ${example}`);
    return value;
  }

  /** A whole number from min to max at `key` (required). */
  count(parent: YAMLMap, key: string, path: string, min: number, max: number): number {
    const node = this.field(parent, key);
    if (node === undefined) return this.fail(parent, `"${path}" is missing`);
    const value = isScalar(node) ? node.value : undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max)
      return this.fail(node, `"${path}" must be a whole number from ${min} to ${max}`);
    return value;
  }

  /**
   * A mapping of names to scalar values (`{cpu: "2", memory: 4Gi}`); `checkKey` and
   * `checkValue` return a problem (pointed at the key or the value) or undefined.
   */
  stringMap(
    parent: YAMLMap,
    key: string,
    path: string,
    example: string,
    checkKey: (key: string) => string | undefined,
    checkValue: (key: string, value: string) => string | undefined,
  ): Record<string, string> | undefined {
    const map = this.map(parent, key, path, example);
    if (!map) return undefined;
    const out: Record<string, string> = {};
    for (const pair of map.items) {
      const k = pair.key as Node;
      const v = pair.value as Node | null;
      const name = isScalar(k) ? String(k.value) : String(k);
      const keyProblem = checkKey(name);
      if (keyProblem) this.fail(k, `"${path}": ${keyProblem}`);
      const raw = isScalar(v) ? v.value : undefined;
      if (raw === undefined || (raw !== null && typeof raw === 'object') || typeof raw === 'boolean')
        this.fail(v ?? k, `"${path}.${name}" must be a string or a number: ${example}`);
      const value = raw === null ? '' : String(raw);
      const valueProblem = checkValue(name, value);
      if (valueProblem) this.fail(v ?? k, `"${path}.${name}": ${valueProblem}`);
      out[name] = value;
    }
    return out;
  }
}
