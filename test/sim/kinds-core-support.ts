import { apiRequest } from '../helpers/http.js';
import { type Kubectl, type KubectlResult, kubectlFor, kubectlOnPath } from '../helpers/kubectl.js';
import { startTestLab, type TestLab } from '../helpers/sim.js';
import { missingTool } from '../helpers/tools.js';

/** What the kinds-core suites share: a lab, the real kubectl, and a way to write manifests. */

export const kubectlBin = kubectlOnPath();
export const skipReason = kubectlBin
  ? undefined
  : missingTool('kubectl', 'install kubectl to run the kubectl suites');

export interface CoreLab {
  lab: TestLab;
  kubectl: Kubectl;
  /** `kubectl <verb> -f -` with `docs` (objects) as JSON; throws unless `allowFail`. */
  write(
    verb: 'create' | 'apply' | 'replace',
    docs: object | object[],
    allowFail?: boolean,
  ): Promise<KubectlResult>;
  /** `kubectl get … -o json`, parsed. */
  json(args: string[]): Promise<any>;
}

export async function startCoreLab(): Promise<CoreLab> {
  const lab = await startTestLab();
  const kubectl = kubectlFor(kubectlBin!, lab.kubeconfig);
  // kubectl validates manifests against the server's OpenAPI; while the sim serves none,
  // client-side validation is turned off (loudly) so the server's own checks are tested.
  const index = (await apiRequest(lab, 'GET', '/openapi/v3')).json();
  const validate = Object.keys(index.paths ?? {}).length > 0 ? [] : ['--validate=false'];
  if (validate.length)
    console.warn('the sim serves no OpenAPI v3 documents yet: kubectl runs with --validate=false');
  return {
    lab,
    kubectl,
    write(verb, docs, allowFail = false) {
      const list = Array.isArray(docs) ? docs : [docs];
      // A YAML stream of JSON documents, as a multi-document manifest file would be.
      const input = list.map((d) => JSON.stringify(d)).join('\n---\n');
      return kubectl([verb, ...validate, '-f', '-'], { input, allowFail });
    },
    async json(args) {
      return JSON.parse((await kubectl(['get', ...args, '-o', 'json'])).stdout);
    },
  };
}

/**
 * A `kubectl get` table as one record per row, keyed by header. Columns are cut where the
 * header's columns start (kubectl aligns every row to them), so empty cells stay empty.
 */
export function tableRows(stdout: string): Array<Record<string, string>> {
  const [header = '', ...lines] = stdout.replace(/\n$/, '').split('\n');
  const names = header.split(/\s{2,}/).filter(Boolean);
  const starts: number[] = [];
  let from = 0;
  for (const n of names) {
    const at = header.indexOf(n, from);
    starts.push(at);
    from = at + n.length;
  }
  return lines.map((line) =>
    Object.fromEntries(names.map((n, i) => [n, line.slice(starts[i], starts[i + 1] ?? line.length).trim()])),
  );
}
