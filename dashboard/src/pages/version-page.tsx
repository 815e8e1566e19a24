/** One version: stage and controls, tags, metadata cards, artifacts by type with previews, runs, lineage graph. */
import { lazy, Suspense, useState } from 'react';
import { apiUrl, seg } from '../api/client';
import type { ArtifactVersion, ModelVersion, Page } from '../api/types';
import { useApi } from '../api/use-api';
import { ArtifactCard } from '../components/artifact-card';
import { MetadataCards } from '../components/metadata-cards';
import { StageControls } from '../components/stage-controls';
import { Card, ErrorBox, Fields, Loading, StageBadge, Status, Tags } from '../components/ui';
import { formatDate, formatDuration } from '../format';
import { useModelEvents } from '../live/use-live';
import { Link, navigate, paths } from '../router';
import { useRunRelations, type LinkedRun } from './run-relations';

const LineageGraph = lazy(() => import('../graphs/lineage-graph').then((m) => ({ default: m.LineageGraph })));

const GROUPS: Array<{ title: string; types: string[] }> = [
  { title: 'Model artifacts', types: ['model'] },
  { title: 'Data artifacts', types: ['data'] },
  { title: 'Deployment artifacts', types: ['deployment'] },
  { title: 'Other artifacts', types: ['statistics', 'schema', 'analysis'] },
];

/** The page of one model version (`version` is a number, name or stage selector). */
export function VersionPage({ name, version }: { name: string; version: string }) {
  const mv = useApi<ModelVersion>(apiUrl(`/models/${seg(name)}/versions/${seg(version)}`));
  const id = mv.data?.id ?? null;
  const artifacts = useApi<Page<ArtifactVersion>>(id ? apiUrl(`/model_versions/${seg(id)}/artifacts`, { size: 1000 }) : null);
  const runs = useApi<Page<LinkedRun>>(id ? apiUrl(`/model_versions/${seg(id)}/runs`, { size: 100 }) : null);
  const [showLineage, setShowLineage] = useState(false);
  const relations = useRunRelations(mv.data, runs.data?.items, artifacts.data?.items);

  useModelEvents(name, () => mv.reload());

  if (mv.error) return <div className="page"><ErrorBox error={mv.error} what={`Version "${version}" of "${name}"`} /></div>;
  const v = mv.data;
  if (!v) return <div className="page"><Loading what="version" /></div>;
  const items = artifacts.data?.items ?? [];

  return (
    <div className="page">
      <div className="crumbs">
        <Link to={paths.models()}>Models</Link> / <Link to={paths.model(name)}>{name}</Link> / <span>v{v.number}</span>
      </div>
      <div className="page-head">
        <h1>
          {name} <span className="muted">v{v.number}</span>
          {v.name !== String(v.number) ? <span className="muted"> · {v.name}</span> : null}
        </h1>
        <span data-testid="version-stage"><StageBadge stage={v.stage} /></span>
        {v.tags.length > 0 ? <Tags tags={v.tags} /> : null}
        <div className="spacer" />
        <StageControls version={v} onChanged={() => mv.reload()} />
      </div>
      <div className="columns">
        <div className="col-main">
          <Card title="Metadata">
            <MetadataCards runMetadata={v.runMetadata} />
          </Card>
          <Card title={`Artifacts${artifacts.data ? ` (${artifacts.data.total})` : ''}`} testId="artifacts">
            {artifacts.error ? <ErrorBox error={artifacts.error} /> : null}
            {!artifacts.data && !artifacts.error ? <Loading what="artifacts" /> : null}
            {artifacts.data && items.length === 0 ? <div className="muted">No artifacts are linked to this version.</div> : null}
            {GROUPS.map((g) => {
              const group = items.filter((a) => g.types.includes(a.type)).sort((a, b) => a.name.localeCompare(b.name) || b.version - a.version);
              if (group.length === 0) return null;
              return (
                <div key={g.title} className="artifact-group" data-group={g.types[0]}>
                  <h3>
                    {g.title} <span className="muted">({group.length})</span>
                  </h3>
                  <div className="artifact-list">
                    {group.map((a, i) => (
                      <ArtifactCard key={a.id} av={a} open={i < 4} />
                    ))}
                  </div>
                </div>
              );
            })}
          </Card>
          <Card title={`Runs${runs.data ? ` (${runs.data.total})` : ''}`} testId="version-runs">
            {runs.error ? <ErrorBox error={runs.error} /> : null}
            {runs.data ? (
              runs.data.items.length === 0 ? (
                <div className="muted">No pipeline runs are linked to this version.</div>
              ) : (
                <table className="grid compact">
                  <thead>
                    <tr>
                      <th>Pipeline</th>
                      <th>Run</th>
                      <th>Relation</th>
                      <th>Status</th>
                      <th>Started</th>
                      <th className="num">Duration</th>
                    </tr>
                  </thead>
                  <tbody>
                    {runs.data.items.map((r) => (
                      <tr key={r.id} className="clickable" onClick={() => navigate(paths.run(r.id))}>
                        <td><Link to={paths.run(r.id)} className="strong">{r.pipelineName}</Link></td>
                        <td className="muted">{r.name}</td>
                        <td>{relations.get(r.id) ?? '…'}</td>
                        <td><Status status={r.status} /></td>
                        <td>{formatDate(r.startedAt)}</td>
                        <td className="num">{formatDuration(r.startedAt, r.endedAt)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            ) : !runs.error ? (
              <Loading />
            ) : null}
          </Card>
        </div>
        <div className="col-side">
          <Card title="Version">
            <Fields
              items={[
                ['Stage', <StageBadge key="s" stage={v.stage} />],
                ['Number', v.number],
                ['Name', v.name],
                ['Description', v.description],
                ['Created', formatDate(v.createdAt)],
                ['Updated', formatDate(v.updatedAt)],
                ['Id', <code key="id" className="small">{v.id}</code>],
              ]}
            />
            <div className="row-actions">
              <Link to={paths.compare(name, v.number > 1 ? [v.number - 1, v.number] : [v.number])}>Compare with v{v.number - 1 || v.number}</Link>
            </div>
          </Card>
        </div>
      </div>
      <Card
        title="Lineage"
        testId="lineage"
        actions={
          <button type="button" onClick={() => setShowLineage((s) => !s)} data-testid="lineage-toggle">
            {showLineage ? 'Hide lineage graph' : 'Open lineage graph'}
          </button>
        }
      >
        {showLineage ? (
          <Suspense fallback={<Loading what="graph" />}>
            <LineageGraph versionId={v.id} modelName={name} />
          </Suspense>
        ) : (
          <div className="muted small">Data → steps → model artifacts → consuming runs.</div>
        )}
      </Card>
    </div>
  );
}
