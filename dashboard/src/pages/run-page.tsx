/** One pipeline run: the step graph, statuses, durations, cache hits and step logs. */
import { useMemo, useState } from 'react';
import { apiUrl, seg } from '../api/client';
import type { ModelVersion, Page, PipelineRun, StepRun } from '../api/types';
import { useApi } from '../api/use-api';
import { Card, ErrorBox, Fields, Loading, Status } from '../components/ui';
import { formatDate, formatDuration } from '../format';
import { DagGraph, type DagNode } from '../graphs/dag-graph';
import { Link, paths } from '../router';

/** Edges between steps: step A → step B when an output artifact of A is an input of B. */
function stepEdges(steps: StepRun[]): Array<{ source: string; target: string; label?: string }> {
  const producer = new Map<string, { step: StepRun; output: string }>();
  for (const s of steps) for (const [output, av] of Object.entries(s.outputs)) producer.set(av, { step: s, output });
  const edges: Array<{ source: string; target: string; label?: string }> = [];
  for (const s of steps) {
    for (const [input, av] of Object.entries(s.inputs)) {
      const p = producer.get(av);
      if (p && p.step.id !== s.id) edges.push({ source: p.step.id, target: s.id, label: input });
    }
  }
  return edges;
}

/** `3 lines`, `1 line` or an em dash. */
function logLines(logs: string): string {
  const n = logs.split('\n').filter(Boolean).length;
  return n === 0 ? '—' : `${n} line${n === 1 ? '' : 's'}`;
}

/** The page of one run. */
export function RunPage({ id }: { id: string }) {
  const run = useApi<PipelineRun>(apiUrl(`/runs/${seg(id)}`));
  const steps = useApi<Page<StepRun>>(apiUrl(`/runs/${seg(id)}/step_runs`, { size: 1000 }));
  const mvId = run.data?.modelVersionId ?? null;
  const mv = useApi<ModelVersion>(mvId ? apiUrl(`/model_versions/${seg(mvId)}`) : null);
  const [selected, setSelected] = useState<string | null>(null);

  const items = useMemo(() => steps.data?.items ?? [], [steps.data]);
  const nodes = useMemo<DagNode[]>(
    () =>
      items.map((s) => ({
        id: s.id,
        label: s.name,
        kind: 'step',
        status: s.cacheHit ? 'cached' : s.status,
        sublabel: `${s.cacheHit ? 'cached' : s.status} · ${formatDuration(s.startedAt, s.endedAt)}`,
      })),
    [items],
  );
  const edges = useMemo(() => stepEdges(items), [items]);

  if (run.error) return <div className="page"><ErrorBox error={run.error} what={`Run ${id}`} /></div>;
  const r = run.data;
  if (!r) return <div className="page"><Loading what="run" /></div>;
  const current = items.find((s) => s.id === selected) ?? null;

  return (
    <div className="page">
      <div className="crumbs">
        <Link to={paths.runs()}>Runs</Link> / <span>{r.name}</span>
      </div>
      <div className="page-head">
        <h1>{r.pipelineName}</h1>
        <Status status={r.status} />
        <span className="muted">{r.name}</span>
      </div>
      <div className="columns">
        <div className="col-main">
          <Card title="Steps" testId="step-graph">
            {steps.error ? <ErrorBox error={steps.error} /> : null}
            {steps.data ? <DagGraph nodes={nodes} edges={edges} onSelect={setSelected} selected={selected} /> : <Loading what="steps" />}
          </Card>
          <Card title="Step runs" testId="step-table">
            <div className="table-wrap">
            <table className="grid">
              <thead>
                <tr>
                  <th>Step</th>
                  <th>Status</th>
                  <th>Cache</th>
                  <th className="num">Duration</th>
                  <th>Inputs</th>
                  <th>Outputs</th>
                  <th>Logs</th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id} className={`clickable${selected === s.id ? ' selected' : ''}`} onClick={() => setSelected(s.id)} data-step={s.name}>
                    <td className="strong">{s.name}</td>
                    <td><Status status={s.status} /></td>
                    <td>{s.cacheHit ? <span className="chip cache-hit">cache hit</span> : <span className="muted">—</span>}</td>
                    <td className="num">{formatDuration(s.startedAt, s.endedAt)}</td>
                    <td className="small wrap">{Object.keys(s.inputs).join(', ') || '—'}</td>
                    <td className="small wrap">{Object.keys(s.outputs).join(', ') || '—'}</td>
                    <td className="small">{logLines(s.logs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            </div>
          </Card>
          {current ? (
            <Card title={`Logs of ${current.name}`} testId="step-logs">
              {current.error ? <div className="error-box">{current.error}</div> : null}
              {current.logs ? <pre className="logs">{current.logs}</pre> : <div className="muted">This step logged nothing.</div>}
            </Card>
          ) : (
            <div className="muted small">Click a step (in the graph or the table) to see its logs.</div>
          )}
        </div>
        <div className="col-side">
          <Card title="Run">
            <Fields
              items={[
                ['Status', <Status key="s" status={r.status} />],
                ['Started', formatDate(r.startedAt)],
                ['Ended', formatDate(r.endedAt)],
                ['Duration', formatDuration(r.startedAt, r.endedAt)],
                ['Model version', mv.data ? <Link key="mv" to={paths.version(mv.data.modelName, mv.data.number)}>{mv.data.modelName} v{mv.data.number}</Link> : mvId ? '…' : null],
                ['Error', r.error],
                ['Id', <code key="id" className="small">{r.id}</code>],
              ]}
            />
          </Card>
          <Card title="Parameters">
            <pre className="preview-json">{JSON.stringify(r.parameters, null, 2)}</pre>
          </Card>
        </div>
      </div>
    </div>
  );
}
