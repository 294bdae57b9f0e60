import * as path from 'node:path';
import { writeSchema } from '../../../scenario/scaffold.js';
import { scenarioJsonSchema } from '../../../scenario/schema/json-schema.js';
import type { CommandContext } from '../../context.js';

export async function run(o: { out?: string }, _args: string[], ctx: CommandContext): Promise<number> {
  if (!o.out) {
    ctx.io.stdout.write(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return 0;
  }
  const file = path.resolve(ctx.io.cwd, o.out);
  writeSchema(file);
  ctx.io.stdout.write(
    `Wrote ${o.out}. Point scenario.yaml at it with a first line like:\n  # yaml-language-server: $schema=${path.relative(ctx.io.cwd, file)}\n`,
  );
  return 0;
}
