/**
 * Tests that need a tool the machine lacks skip locally with a visible reason; CI sets
 * CLUSTERLAB_REQUIRE_TOOLS=1, which turns those skips into failures.
 */
export const requireTools = process.env.CLUSTERLAB_REQUIRE_TOOLS === '1';

export function missingTool(tool: string, why: string): string | undefined {
  const msg = `${tool} is not available (${why})`;
  if (requireTools) throw new Error(`${msg}; CI requires it (CLUSTERLAB_REQUIRE_TOOLS=1)`);
  console.warn(`SKIP: ${msg}`);
  return msg;
}
