import * as fs from 'node:fs';
import * as path from 'node:path';
import { UserError } from '../errors.js';
import { scenarioJsonSchema } from './schema/json-schema.js';
import { FORMAT_VERSION } from './schema/spec.js';

/** `scenario new ID`: a scenario folder that validates, to edit from. */

export const SCHEMA_FILE = 'scenario.schema.json';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function scaffoldScenario(
  parent: string,
  id: string,
): { dir: string; files: string[]; schema: string } {
  if (!DNS_LABEL.test(id) || id.length > 63)
    throw new UserError(
      `"${id}" cannot be a scenario id: use lowercase letters, digits and "-" (like "cgroups-memory")`,
      {
        fix: `clusterlab scenario new ${
          id
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-+|-+$/g, '') || 'my-scenario'
        }`,
      },
    );
  const dir = path.join(parent, id);
  if (fs.existsSync(dir))
    throw new UserError(`${dir} already exists; choose another id or remove it first`, {
      fix: `clusterlab scenario validate ${dir}`,
    });
  const files: Record<string, string> = {
    'scenario.yaml': scenarioYaml(id),
    'steps/01-namespace.md': STEP_MD,
    'solutions/01-namespace.sh': SOLUTION,
    'setup.sh': '#!/bin/sh\n# Runs once before the first step, with KUBECONFIG set to the lab.\nset -eu\n',
    'cleanup.sh': `#!/bin/sh\n# Runs once after the last step.\nset -eu\nkubectl delete namespace ${id} --ignore-not-found --wait=false\n`,
  };
  for (const [rel, text] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text.replaceAll('__ID__', id), { mode: rel.endsWith('.sh') ? 0o755 : 0o644 });
  }
  // One schema beside the scenario folders, so the modeline in each scenario.yaml finds it.
  const schema = path.join(parent, SCHEMA_FILE);
  writeSchema(schema);
  return { dir, files: Object.keys(files), schema };
}

export function writeSchema(file: string): void {
  fs.writeFileSync(file, `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
}

function scenarioYaml(id: string): string {
  return `# yaml-language-server: $schema=../${SCHEMA_FILE}
# A clusterlab scenario. The format is documented in docs/authoring.md; check it with
#   clusterlab scenario validate ${id}
# and prove it works with
#   clusterlab scenario test ${id}
format: ${FORMAT_VERSION}
id: ${id}
title: Title of the scenario
topic: workloads
summary: One or two sentences on what the learner will do.
estimatedMinutes: 10
difficulty: beginner
lab:
  nodes: 3
setup: setup.sh
cleanup: cleanup.sh
steps:
  - id: namespace
    title: Create a namespace
    text: steps/01-namespace.md
    solution: solutions/01-namespace.sh
    hints:
      - Namespaces are created with kubectl create.
      - kubectl create namespace __ID__
    checks:
      - id: exists
        description: The namespace "__ID__" exists and is Active
        resource:
          apiVersion: v1
          kind: Namespace
          name: __ID__
        expect:
          - path: "{.status.phase}"
            equals: Active
`;
}

const STEP_MD = `# Create a namespace

Create the namespace \`__ID__\`:

\`\`\`sh
kubectl create namespace __ID__
\`\`\`

The check turns green as soon as it exists.
`;

const SOLUTION = `#!/bin/sh
# What solves the step; \`clusterlab scenario test\` runs it.
set -eu
kubectl create namespace __ID__
`;
