import { describeConditions, evaluateConditions } from '../conditions.js';
import { parseJsonPath } from '../jsonpath/parse.js';
import type { Condition, HttpProbe, Outcome } from '../types.js';
import { clip } from './describe.js';

/** What an http probe sees; its conditions are JSONPaths into this. */
export interface HttpView {
  status: number;
  body: string;
  /** The body parsed as JSON, when it is JSON. */
  json?: unknown;
  headers: Record<string, string>;
}

/** With no conditions, a 2xx answer is enough. */
export const STATUS_2XX: Condition[] = [
  { t: 'path', path: parseJsonPath('{.status}'), test: { op: 'gte', value: 200 } },
  { t: 'path', path: parseJsonPath('{.status}'), test: { op: 'lt', value: 300 } },
];

export function describeHttp(p: HttpProbe): string {
  return 'url' in p.target
    ? `${p.method} ${p.target.url}`
    : `${p.method} ${p.target.apiServer} on the API server`;
}

export function evaluateHttp(
  p: HttpProbe,
  conditions: Condition[],
  view: HttpView | { error: string },
): Outcome {
  const conds = conditions.length > 0 ? conditions : STATUS_2XX;
  const expected = `${describeHttp(p)}: ${describeConditions(conds)}`;
  if ('error' in view) return { ok: false, expected, actual: `no answer: ${view.error}` };
  const r = evaluateConditions(conds, view);
  return { ok: r.ok, expected, actual: `HTTP ${view.status}: ${clip(r.actual)}` };
}

export function toHttpView(status: number, body: string, headers: Record<string, string>): HttpView {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    json = undefined;
  }
  return { status, body, json, headers };
}
