/**
 * The promotion rule: a new version goes to production only if its test accuracy beats the current
 * production version's. The reason is written into the stage history, and `force: true` moves the
 * previous holder to `archived` in the same transaction as the promotion.
 */
import { Model, ModelStages, NotFoundError, type Client, type ModelVersion } from 'modelplane';
import { accuracyOf } from './metrics.js';
import { MODEL_NAME } from './model-card.js';

/** What `promoteIfBetter` decided, and why. */
export interface PromotionDecision {
  promoted: boolean;
  /** The candidate version's number and accuracy. */
  version: number;
  accuracy: number | undefined;
  /** The production version when the decision was made (absent: there was none). */
  previous?: { version: number; accuracy: number | undefined };
  /** Why; also the reason recorded in the stage history when promoted. */
  reason: string;
}

/** The version in production, or undefined when none is. */
async function currentProduction(client: Client): Promise<ModelVersion | undefined> {
  try {
    return await client.getModelVersion(MODEL_NAME, ModelStages.PRODUCTION);
  } catch (error) {
    if (error instanceof NotFoundError) return undefined;
    throw error;
  }
}

/**
 * Promotes version `versionNumber` of `iris_classifier` to production if its accuracy
 * (`runMetadata['evaluation_metrics'].value.accuracy`) is strictly higher than production's, or if
 * nothing is in production yet. Ties keep the incumbent: production moves only for an improvement.
 */
export async function promoteIfBetter(client: Client, versionNumber: number): Promise<PromotionDecision> {
  const candidate = await client.getModelVersion(MODEL_NAME, versionNumber);
  const accuracy = accuracyOf(candidate);
  const decision = (promoted: boolean, reason: string, previous?: ModelVersion): PromotionDecision => ({
    promoted,
    version: candidate.number,
    accuracy,
    ...(previous ? { previous: { version: previous.number, accuracy: accuracyOf(previous) } } : {}),
    reason,
  });
  if (accuracy === undefined) return decision(false, `version ${candidate.number} has no evaluation_metrics.accuracy to compare`);

  const production = await currentProduction(client);
  if (production?.id === candidate.id) return decision(false, `version ${candidate.number} is already in production`, production);
  const incumbent = production && accuracyOf(production);
  if (production && incumbent !== undefined && accuracy <= incumbent) {
    return decision(false, `accuracy ${accuracy} does not beat production version ${production.number} (${incumbent})`, production);
  }

  const reason = !production
    ? `first production version (accuracy ${accuracy})`
    : incumbent === undefined
      ? `accuracy ${accuracy}; production version ${production.number} has no accuracy logged`
      : `accuracy ${accuracy} beats version ${production.number} (${incumbent})`;
  // The spec's way: select the version through a Model and set its stage.
  await new Model({ name: MODEL_NAME, version: candidate.number, client }).setStage(ModelStages.PRODUCTION, { force: true, reason });
  return decision(true, reason, production);
}
