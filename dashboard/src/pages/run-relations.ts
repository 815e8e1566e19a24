/** How the pipeline runs linked to a version relate to it: which produced into it, which consumed from it. */
import { useEffect, useState } from 'react';
import { apiUrl, get, seg } from '../api/client';
import type { ArtifactVersion, ModelVersion, Page, PipelineRun, StepRun } from '../api/types';

/** A run as `/model_versions/{id}/runs` sends it; `relations` when the server says. */
export type LinkedRun = PipelineRun & { relations?: Array<'producer' | 'consumer'> };

const MAX_RUNS = 20;

/**
 * The relation of each run, as text (`produced`, `consumed`, `produced + consumed`). From the server's
 * `relations` when given; otherwise from the runs' step records: a run produced into the version when a
 * step wrote one of its artifacts (or the run was configured with it), and consumed from it when a step
 * read one of its model artifacts that the run did not write.
 */
export function useRunRelations(version: ModelVersion | undefined, runs: LinkedRun[] | undefined, artifacts: ArtifactVersion[] | undefined): Map<string, string> {
  const [relations, setRelations] = useState<Map<string, string>>(new Map());
  useEffect(() => {
    if (!version || !runs || !artifacts) return;
    let cancelled = false;
    const linked = new Set(artifacts.map((a) => a.id));
    const models = new Set(artifacts.filter((a) => a.type === 'model').map((a) => a.id));
    const text = (produced: boolean, consumed: boolean) => [produced ? 'produced' : null, consumed ? 'consumed' : null].filter(Boolean).join(' + ') || 'linked';
    void Promise.all(
      runs.slice(0, MAX_RUNS).map(async (run): Promise<[string, string]> => {
        if (run.relations && run.relations.length > 0) return [run.id, text(run.relations.includes('producer'), run.relations.includes('consumer'))];
        try {
          const steps = await get<Page<StepRun>>(apiUrl(`/runs/${seg(run.id)}/step_runs`, { size: 1000 }));
          const written = new Set(steps.items.flatMap((s) => Object.values(s.outputs)));
          const produced = run.modelVersionId === version.id || [...written].some((id) => linked.has(id));
          const consumed = steps.items.some((s) => Object.values(s.inputs).some((id) => models.has(id) && !written.has(id)));
          return [run.id, text(produced, consumed)];
        } catch {
          return [run.id, 'linked'];
        }
      }),
    ).then((pairs) => !cancelled && setRelations(new Map(pairs)));
    return () => {
      cancelled = true;
    };
  }, [version, runs, artifacts]);
  return relations;
}
