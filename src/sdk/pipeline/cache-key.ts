import { createHash } from 'node:crypto';
import type { ArtifactConfig } from './artifact-config.js';

/** Version of the cache-key recipe; bump it when the recipe changes so old entries stop matching. */
const RECIPE = 1;

/** One input as the cache key sees it: a stored artifact version, or a literal JSON value. */
export type CacheInput = { artifactVersionId: string } | { value: unknown };

/**
 * The cache key of a step invocation: sha256 over
 * - the step's name and the source text of its function (so editing the code invalidates the cache),
 * - its output configuration (artifact names — default names include the pipeline's — types, tags,
 *   materializers, explicit versions),
 * - each input, in order: the id of the input artifact version, or the literal JSON value.
 * Same key → the earlier run's outputs are reused. What the function reads from elsewhere (files,
 * the network, helper functions defined outside it) is not part of the key: disable the cache with
 * `enableCache: false` for such steps.
 */
export function cacheKey(stepName: string, source: string, outputs: Map<string, ArtifactConfig | null>, artifactNames: string[], inputs: CacheInput[]): string {
  const outputSpec = [...outputs.entries()].map(([key, c], i) => [
    key,
    artifactNames[i],
    c && { type: c.type, tags: c.tags ?? [], materializer: c.materializer ?? null, version: c.version ?? null },
  ]);
  const text = JSON.stringify({ recipe: RECIPE, step: stepName, source, outputs: outputSpec, inputs });
  return createHash('sha256').update(text).digest('hex');
}
