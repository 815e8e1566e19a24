import { artifactGroup, type LineageEdge, type LineageGraph, type LineageNode } from '../domain/insights.js';
import type { ArtifactType } from '../domain/artifact-type.js';
import type { Executor } from './store.js';
import type { VersionRow } from './version-repository.js';

/** Largest number of ids sent in one `IN (…)` list. */
const CHUNK = 500;

/** Consuming runs shown at most (newest first): a production model may be read by thousands of runs. */
const MAX_CONSUMER_RUNS = 50;

/** Default node limit of a lineage graph. */
export const MAX_LINEAGE_NODES = 500;

async function inChunks<T>(ids: readonly string[], query: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await query(unique.slice(i, i + CHUNK))));
  return out;
}

/** Collects nodes and edges up to a node limit; edges whose ends did not make it are dropped. */
class GraphBuilder {
  readonly nodes = new Map<string, LineageNode>();
  private readonly edges = new Map<string, LineageEdge>();
  truncated = false;

  constructor(private readonly maxNodes: number) {}

  /** Adds a node (once); false when the limit stopped it. */
  node(node: LineageNode): boolean {
    if (this.nodes.has(node.id)) return true;
    if (this.nodes.size >= this.maxNodes) {
      this.truncated = true;
      return false;
    }
    this.nodes.set(node.id, node);
    return true;
  }

  edge(source: string, target: string, label?: string): void {
    if (!this.nodes.has(source) || !this.nodes.has(target)) return;
    const id = `${source}→${target}→${label ?? ''}`;
    if (!this.edges.has(id)) this.edges.set(id, { source, target, ...(label === undefined ? {} : { label }) });
  }

  hasEdge(predicate: (e: LineageEdge) => boolean): boolean {
    for (const e of this.edges.values()) if (predicate(e)) return true;
    return false;
  }

  build(): LineageGraph {
    return { nodes: [...this.nodes.values()], edges: [...this.edges.values()], truncated: this.truncated };
  }
}

/**
 * The lineage graph of a model version (DESIGN.md §1): the runs that produced into it with their
 * steps, each step's input artifact versions → step → output artifact versions, the version's model
 * artifacts → the version, and the newest consuming runs with their steps and the artifacts they
 * read and wrote. Node ids are `artifact:`, `step:`, `run:` and `version:` plus the raw id.
 */
export async function versionLineage(db: Executor, version: VersionRow, maxNodes = MAX_LINEAGE_NODES): Promise<LineageGraph> {
  const g = new GraphBuilder(maxNodes);
  const versionNode = `version:${version.id}`;
  const label = version.name === String(version.number) ? `${version.model_name} v${version.number}` : `${version.model_name} v${version.number} (${version.name})`;
  g.node({ id: versionNode, kind: 'model_version', label, status: version.stage, refId: version.id });

  const links = await db
    .selectFrom('model_version_runs as l')
    .innerJoin('pipeline_runs as r', 'r.id', 'l.pipeline_run_id')
    .select(['l.relation', 'r.id', 'r.name', 'r.pipeline_name', 'r.status', 'r.started_at'])
    .where('l.model_version_id', '=', version.id)
    .orderBy('r.started_at', 'desc')
    .execute();
  const producers = links.filter((l) => l.relation === 'producer');
  const producerIds = new Set(producers.map((p) => p.id));
  const allConsumers = links.filter((l) => l.relation === 'consumer' && !producerIds.has(l.id));
  const consumers = allConsumers.slice(0, MAX_CONSUMER_RUNS);
  if (allConsumers.length > consumers.length) g.truncated = true;
  const runs = [...producers, ...consumers];
  const runIds = runs.map((r) => r.id);

  const steps = await inChunks(runIds, (chunk) =>
    db.selectFrom('step_runs').select(['id', 'pipeline_run_id', 'name', 'status']).where('pipeline_run_id', 'in', chunk).orderBy('started_at').orderBy('id').execute(),
  );
  const stepArtifacts = await inChunks(steps.map((s) => s.id), (chunk) =>
    db.selectFrom('step_run_artifacts').select(['step_run_id', 'artifact_version_id', 'name', 'direction']).where('step_run_id', 'in', chunk).execute(),
  );
  const modelArtifacts = await db
    .selectFrom('model_version_artifacts as mva')
    .innerJoin('artifact_versions as av', 'av.id', 'mva.artifact_version_id')
    .select('av.id')
    .where('mva.model_version_id', '=', version.id)
    .where('av.type', '=', 'model')
    .execute();
  const artifacts = new Map(
    (
      await inChunks([...stepArtifacts.map((a) => a.artifact_version_id), ...modelArtifacts.map((a) => a.id)], (chunk) =>
        db
          .selectFrom('artifact_versions as av')
          .innerJoin('artifacts as a', 'a.id', 'av.artifact_id')
          .select(['av.id', 'a.name', 'av.version', 'av.type'])
          .where('av.id', 'in', chunk)
          .execute(),
      )
    ).map((a) => [a.id, a]),
  );
  const artifactNode = (id: string): string | undefined => {
    const a = artifacts.get(id);
    if (!a) return undefined;
    const nodeId = `artifact:${id}`;
    return g.node({ id: nodeId, kind: 'artifact', label: `${a.name} v${Number(a.version)}`, artifactType: artifactGroup(a.type as ArtifactType), refId: id }) ? nodeId : undefined;
  };

  // Producers first, so that a cut graph keeps what made the version.
  for (const run of runs) {
    const runNode = `run:${run.id}`;
    if (!g.node({ id: runNode, kind: 'run', label: run.name, status: run.status, refId: run.id })) break;
    for (const step of steps.filter((s) => s.pipeline_run_id === run.id)) {
      const stepNode = `step:${step.id}`;
      if (!g.node({ id: stepNode, kind: 'step', label: step.name, status: step.status, refId: step.id })) break;
      g.edge(runNode, stepNode);
      for (const link of stepArtifacts.filter((a) => a.step_run_id === step.id)) {
        const node = artifactNode(link.artifact_version_id);
        if (!node) continue;
        if (link.direction === 'input') g.edge(node, stepNode, link.name);
        else g.edge(stepNode, node, link.name);
      }
    }
  }
  for (const a of modelArtifacts) {
    const node = artifactNode(a.id);
    if (node) g.edge(node, versionNode, 'model');
  }
  // A run that wrote no model artifact (or read none) would float free; tie it to the version directly.
  if (!g.hasEdge((e) => e.target === versionNode)) for (const run of producers) g.edge(`run:${run.id}`, versionNode, 'produced');
  const versionArtifacts = new Set(modelArtifacts.map((a) => a.id));
  for (const run of consumers) {
    const stepIds = new Set(steps.filter((s) => s.pipeline_run_id === run.id).map((s) => s.id));
    const readsModel = stepArtifacts.some((l) => l.direction === 'input' && stepIds.has(l.step_run_id) && versionArtifacts.has(l.artifact_version_id));
    if (!readsModel) g.edge(versionNode, `run:${run.id}`, 'consumed');
  }
  return g.build();
}
