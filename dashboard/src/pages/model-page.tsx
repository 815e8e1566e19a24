/** A model: its card, its versions with chosen metric columns, a metric chart and the stage timeline. */
import { lazy, Suspense, useMemo, useState } from 'react';
import { apiUrl, seg } from '../api/client';
import type { MetadataKeys, Model, ModelVersion, Page, StageTransition } from '../api/types';
import { useApi } from '../api/use-api';
import { StageTimeline } from '../components/stage-timeline';
import { Card, ErrorBox, Fields, Loading, Pager, SortHeader, StageBadge, Tags } from '../components/ui';
import { flatten, formatDate, formatValue, metadataAt } from '../format';
import { useModelEvents } from '../live/use-live';
import { Link, navigate, paths } from '../router';

const MetricChart = lazy(() => import('../charts/metric-chart').then((m) => ({ default: m.MetricChart })));

const SIZE = 50;
const STAGE_FILTERS = ['', 'production', 'staging', 'archived', 'none'] as const;

/** Numeric metadata paths of the versions on screen (used when the server has no metadata_keys endpoint). */
function keysFromVersions(versions: ModelVersion[]): MetadataKeys['keys'] {
  const counts = new Map<string, number>();
  for (const v of versions) {
    const values = Object.fromEntries(Object.entries(v.runMetadata).map(([k, e]) => [k, e.value]));
    for (const [path, value] of Object.entries(flatten(values))) if (typeof value === 'number') counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return [...counts].map(([key, count]) => ({ key, type: 'number' as const, count }));
}

/** Default metric columns: accuracy-like keys first, at most three. */
function defaultColumns(keys: string[]): string[] {
  const rank = (k: string) => (/accuracy/i.test(k) ? 0 : /f1|auc|precision|recall|loss|score/i.test(k) ? 1 : 2);
  return [...keys].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b)).slice(0, 3);
}

function setParams(name: string, current: URLSearchParams, changes: Record<string, string | null>): void {
  const params = new URLSearchParams(current);
  for (const [k, v] of Object.entries(changes)) {
    if (v === null || v === '') params.delete(k);
    else params.set(k, v);
  }
  const s = params.toString();
  navigate(`${paths.model(name)}${s ? `?${s}` : ''}`, { replace: true });
}

/** The page of one model. */
export function ModelPage({ name, query }: { name: string; query: URLSearchParams }) {
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const sort = query.get('sort') ?? '-number';
  const stage = query.get('stage') ?? '';
  const model = useApi<Model>(apiUrl(`/models/${seg(name)}`));
  const versions = useApi<Page<ModelVersion>>(apiUrl('/model_versions', { model: name, page, size: SIZE, sortBy: sort, stage }));
  const keysApi = useApi<MetadataKeys>(apiUrl(`/models/${seg(name)}/metadata_keys`));
  const history = useApi<Page<StageTransition>>(apiUrl(`/models/${seg(name)}/stage_history`, { size: 1000 }));
  const [selected, setSelected] = useState<string[]>([]);
  const [chartTick, setChartTick] = useState(0);

  useModelEvents(name, () => {
    model.reload();
    versions.reload();
    history.reload();
    keysApi.reload();
    setChartTick((t) => t + 1);
  });

  const numericKeys = useMemo(() => {
    const keys = keysApi.data ? keysApi.data.keys : keysApi.error ? keysFromVersions(versions.data?.items ?? []) : [];
    return keys.filter((k) => k.type === 'number').map((k) => k.key);
  }, [keysApi.data, keysApi.error, versions.data]);
  const colsParam = query.get('cols');
  const columns = colsParam !== null ? colsParam.split(',').filter(Boolean) : defaultColumns(numericKeys);
  const metric = query.get('metric') ?? columns[0] ?? numericKeys[0] ?? null;
  const canSortByMetadata = keysApi.data !== undefined;

  if (model.error) return <div className="page"><ErrorBox error={model.error} what={`Model "${name}"`} /></div>;
  const m = model.data;
  const toggle = (num: string) => setSelected((s) => (s.includes(num) ? s.filter((x) => x !== num) : [...s, num]));
  const onSort = (s: string) => setParams(name, query, { sort: s === '-number' ? null : s, page: null });

  return (
    <div className="page">
      <div className="crumbs">
        <Link to={paths.models()}>Models</Link> / <span>{name}</span>
      </div>
      <div className="page-head">
        <h1>{name}</h1>
        {m && m.tags.length > 0 ? <Tags tags={m.tags} /> : null}
        <div className="spacer" />
        {m?.productionVersion ? <span className="holder-chip">production <Link to={paths.version(name, m.productionVersion.number)}>v{m.productionVersion.number}</Link></span> : null}
        {m?.stagingVersion ? <span className="holder-chip">staging <Link to={paths.version(name, m.stagingVersion.number)}>v{m.stagingVersion.number}</Link></span> : null}
      </div>

      <div className="columns">
        <div className="col-main">
          <Card
            title={`Versions${versions.data ? ` (${versions.data.total.toLocaleString()})` : ''}`}
            testId="versions-card"
            actions={
              <>
                <select aria-label="Stage filter" value={stage} onChange={(e) => setParams(name, query, { stage: e.target.value, page: null })}>
                  {STAGE_FILTERS.map((s) => (
                    <option key={s} value={s}>{s === '' ? 'all stages' : s}</option>
                  ))}
                </select>
                <ColumnPicker keys={numericKeys} columns={columns} onChange={(cols) => setParams(name, query, { cols: cols.join(',') })} />
                <button type="button" className="primary" disabled={selected.length < 2} onClick={() => navigate(paths.compare(name, selected))} data-testid="compare-button">
                  Compare{selected.length ? ` (${selected.length})` : ''}
                </button>
              </>
            }
          >
            {versions.error ? <ErrorBox error={versions.error} /> : null}
            {!versions.data && !versions.error ? <Loading what="versions" /> : null}
            {versions.data ? (
              <>
                <div className="table-wrap tall">
                  <table className="grid" data-testid="versions-table">
                    <thead>
                      <tr>
                        <th className="check" aria-label="Select" />
                        <SortHeader field="number" sort={sort} onSort={onSort} numeric>#</SortHeader>
                        <th>Name</th>
                        <th>Stage</th>
                        <th>Tags</th>
                        {columns.map((c) =>
                          canSortByMetadata ? (
                            <SortHeader key={c} field={`metadata.${c}`} sort={sort} onSort={onSort} numeric>
                              <MetricHead path={c} />
                            </SortHeader>
                          ) : (
                            <th key={c} className="num"><MetricHead path={c} /></th>
                          ),
                        )}
                        <SortHeader field="createdAt" sort={sort} onSort={onSort}>Created</SortHeader>
                      </tr>
                    </thead>
                    <tbody>
                      {versions.data.items.map((v) => (
                        <tr key={v.id} data-version={v.number} className={selected.includes(String(v.number)) ? 'selected' : ''}>
                          <td className="check">
                            <input type="checkbox" aria-label={`Select version ${v.number}`} checked={selected.includes(String(v.number))} onChange={() => toggle(String(v.number))} />
                          </td>
                          <td className="num"><Link to={paths.version(name, v.number)} className="strong">v{v.number}</Link></td>
                          <td>{v.name !== String(v.number) ? v.name : <span className="muted">—</span>}</td>
                          <td><StageBadge stage={v.stage} /></td>
                          <td><Tags tags={v.tags} /></td>
                          {columns.map((c) => (
                            <td key={c} className="num">{formatValue(metadataAt(v.runMetadata, c))}</td>
                          ))}
                          <td>{formatDate(v.createdAt)}</td>
                        </tr>
                      ))}
                      {versions.data.items.length === 0 ? (
                        <tr>
                          <td colSpan={6 + columns.length} className="muted empty">No versions{stage ? ` in ${stage}` : ''}.</td>
                        </tr>
                      ) : null}
                    </tbody>
                  </table>
                </div>
                <Pager page={page} size={SIZE} total={versions.data.total} onPage={(p) => setParams(name, query, { page: p > 1 ? String(p) : null })} />
              </>
            ) : null}
          </Card>

          {metric ? (
            <Card
              title="Metric across versions"
              testId="metric-card"
              actions={
                <select aria-label="Metric" value={metric} onChange={(e) => setParams(name, query, { metric: e.target.value })}>
                  {numericKeys.map((k) => (
                    <option key={k} value={k}>{k}</option>
                  ))}
                </select>
              }
            >
              <Suspense fallback={<Loading what="chart" />}>
                <MetricChart model={name} metric={metric} tick={chartTick} />
              </Suspense>
            </Card>
          ) : null}
        </div>

        <div className="col-side">
          <Card title="Model card" testId="model-card">
            {m ? (
              <Fields
                items={[
                  ['License', m.license],
                  ['Description', m.description],
                  ['Audience', m.audience],
                  ['Use cases', m.useCases],
                  ['Limitations', m.limitations],
                  ['Trade-offs', m.tradeOffs],
                  ['Ethics', m.ethics],
                  ['Created', formatDate(m.createdAt)],
                  ['Updated', formatDate(m.updatedAt)],
                ]}
              />
            ) : (
              <Loading />
            )}
          </Card>
          <Card title="Stage timeline" testId="stage-timeline">
            {history.error ? <ErrorBox error={history.error} /> : history.data ? <StageTimeline model={name} items={history.data.items} /> : <Loading />}
          </Card>
        </div>
      </div>
    </div>
  );
}

/** Chooses which numeric metadata paths are shown as version columns. */
function ColumnPicker({ keys, columns, onChange }: { keys: string[]; columns: string[]; onChange: (cols: string[]) => void }) {
  if (keys.length === 0) return null;
  return (
    <details className="picker">
      <summary>Columns ({columns.length})</summary>
      <div className="picker-menu">
        {keys.map((k) => (
          <label key={k}>
            <input type="checkbox" checked={columns.includes(k)} onChange={() => onChange(columns.includes(k) ? columns.filter((c) => c !== k) : [...columns, k])} /> {k}
          </label>
        ))}
      </div>
    </details>
  );
}

/** A metadata path as a column header: the last segment, with the rest small above it. */
function MetricHead({ path }: { path: string }) {
  const dot = path.lastIndexOf('.');
  return (
    <span className="metric-head" title={path}>
      {dot > 0 ? <span className="prefix">{path.slice(0, dot)}</span> : null}
      <span>{path.slice(dot + 1)}</span>
    </span>
  );
}
