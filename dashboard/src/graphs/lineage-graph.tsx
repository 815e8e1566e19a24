/** The lineage graph of a version: data → steps → model artifacts → the version → consuming runs. */
import { useMemo } from 'react';
import { apiUrl, seg } from '../api/client';
import type { Lineage } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorBox, Loading } from '../components/ui';
import { navigate, paths } from '../router';
import { DagGraph, type DagNode } from './dag-graph';

/**
 * The edges to draw: data flow, plus run → step only for steps that read nothing inside the graph (a
 * run's other steps are reached through their inputs; drawing every containment edge hides the flow).
 */
function flowEdges(lineage: Lineage): Array<{ source: string; target: string }> {
  const kinds = new Map(lineage.nodes.map((n) => [n.id, n.kind]));
  const fed = new Set(lineage.edges.filter((e) => kinds.get(e.source) !== 'run').map((e) => e.target));
  return lineage.edges
    .filter((e) => kinds.get(e.source) !== 'run' || kinds.get(e.target) !== 'step' || !fed.has(e.target))
    .map(({ source, target }) => ({ source, target }));
}

/** Fetches `/model_versions/{id}/lineage` and draws it; clicking a run or step opens the run. */
export function LineageGraph({ versionId, modelName }: { versionId: string; modelName: string }) {
  const lineage = useApi<Lineage>(apiUrl(`/model_versions/${seg(versionId)}/lineage`));
  const nodes = useMemo<DagNode[]>(
    () =>
      (lineage.data?.nodes ?? []).map((n) => ({
        id: n.id,
        label: n.label,
        kind: n.kind === 'artifact' ? `artifact-${n.artifactType ?? 'data'}` : n.kind,
        ...(n.status ? { status: n.status } : {}),
        sublabel: n.kind === 'artifact' ? `${n.artifactType ?? 'data'} artifact` : n.kind === 'step' ? `step${n.status ? ` · ${n.status}` : ''}` : n.kind === 'run' ? `run${n.status ? ` · ${n.status}` : ''}` : 'model version',
      })),
    [lineage.data],
  );
  if (lineage.error) return lineage.error.status === 404 ? <div className="muted">This server does not provide lineage graphs.</div> : <ErrorBox error={lineage.error} />;
  if (!lineage.data) return <Loading what="lineage" />;
  if (nodes.length === 0) return <div className="muted">No lineage recorded for this version.</div>;
  const byId = new Map(lineage.data.nodes.map((n) => [n.id, n]));
  const runOf = (id: string): string | null => {
    const n = byId.get(id);
    if (!n) return null;
    if (n.kind === 'run') return n.refId;
    if (n.kind === 'step') {
      const parent = lineage.data!.edges.find((e) => e.target === id && byId.get(e.source)?.kind === 'run');
      return parent ? byId.get(parent.source)!.refId : null;
    }
    return null;
  };
  return (
    <div data-testid="lineage-graph">
      <DagGraph
        nodes={nodes}
        edges={flowEdges(lineage.data)}
        onSelect={(id) => {
          const n = byId.get(id);
          const run = runOf(id);
          if (run) navigate(paths.run(run));
          else if (n?.kind === 'model_version' && n.refId !== versionId) navigate(`${paths.model(modelName)}`);
        }}
      />
      <div className="legend small">
        <span className="lg kind-artifact-data">data</span>
        <span className="lg kind-step">step</span>
        <span className="lg kind-artifact-model">model artifact</span>
        <span className="lg kind-model_version">version</span>
        <span className="lg kind-run">run</span>
      </div>
    </div>
  );
}
