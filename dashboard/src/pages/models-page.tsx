/** The models list: filter with the shared syntax, stage holders, latest version, server-side pages. */
import { useEffect, useState, type FormEvent } from 'react';
import { apiUrl } from '../api/client';
import type { Model, ModelVersion, Page, VersionRef } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorBox, Loading, Pager, SortHeader, Tags } from '../components/ui';
import { formatDate, timeAgo } from '../format';
import { useModelEvents } from '../live/use-live';
import { Link, navigate, paths } from '../router';

const SIZE = 25;

function withQuery(q: string, page: number, sort: string): string {
  const params = new URLSearchParams();
  if (q) params.set('q', q);
  if (page > 1) params.set('page', String(page));
  if (sort !== '-updatedAt') params.set('sort', sort);
  const s = params.toString();
  return `${paths.models()}${s ? `?${s}` : ''}`;
}

/** A stage holder: from the model when the server sends it, else looked up. */
function Holder({ model, stage }: { model: Model; stage: 'production' | 'staging' }) {
  const given = stage === 'production' ? model.productionVersion : model.stagingVersion;
  const lookup = useApi<Page<ModelVersion>>(given === undefined ? apiUrl('/model_versions', { model: model.name, stage, size: 1 }) : null);
  const ref: VersionRef | null | undefined = given !== undefined ? given : lookup.data ? (lookup.data.items[0] ?? null) : undefined;
  if (ref === undefined) return <span className="muted">…</span>;
  if (ref === null) return <span className="muted">—</span>;
  return (
    <Link to={paths.version(model.name, ref.number)} className={`holder stage-${stage}`}>
      v{ref.number}
      {ref.name !== String(ref.number) ? ` · ${ref.name}` : ''}
    </Link>
  );
}

/** Lists models, filtered and paged by the server. */
export function ModelsPage({ query }: { query: URLSearchParams }) {
  const q = query.get('q') ?? '';
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const sort = query.get('sort') ?? '-updatedAt';
  const [draft, setDraft] = useState(q);
  useEffect(() => setDraft(q), [q]);
  const models = useApi<Page<Model>>(apiUrl('/models', { filter: q, page, size: SIZE, sortBy: sort }));
  useModelEvents(null, () => models.reload());

  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(withQuery(draft.trim(), 1, sort));
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Models</h1>
        <form className="search" onSubmit={submit} role="search">
          <input
            type="search"
            name="filter"
            aria-label="Filter models"
            placeholder='name~iris and tag=prod   (fields: name, tag, license, description, createdAt, updatedAt; ops: = != > >= < <= ~)'
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
          />
          <button type="submit">Search</button>
          {q ? (
            <button type="button" className="link" onClick={() => navigate(withQuery('', 1, sort))}>Clear</button>
          ) : null}
        </form>
      </div>
      {models.error ? <ErrorBox error={models.error} what="The filter could not be applied" /> : null}
      {!models.data && !models.error ? <Loading what="models" /> : null}
      {models.data ? (
        <>
          <div className="table-wrap">
            <table className="grid" data-testid="models-table">
              <thead>
                <tr>
                  <SortHeader field="name" sort={sort} onSort={(s) => navigate(withQuery(q, 1, s))}>Name</SortHeader>
                  <th>Tags</th>
                  <th className="num">Latest</th>
                  <th>Production</th>
                  <th>Staging</th>
                  <th>License</th>
                  <SortHeader field="updatedAt" sort={sort} onSort={(s) => navigate(withQuery(q, 1, s))}>Updated</SortHeader>
                </tr>
              </thead>
              <tbody>
                {models.data.items.map((m) => (
                  <tr key={m.id} data-model={m.name}>
                    <td>
                      <Link to={paths.model(m.name)} className="strong">{m.name}</Link>
                      {m.description ? <div className="muted small ellipsis">{m.description}</div> : null}
                    </td>
                    <td><Tags tags={m.tags} /></td>
                    <td className="num">
                      {m.latestVersion === null ? <span className="muted">—</span> : <Link to={paths.version(m.name, m.latestVersion)}>v{m.latestVersion}</Link>}
                    </td>
                    <td><Holder model={m} stage="production" /></td>
                    <td><Holder model={m} stage="staging" /></td>
                    <td>{m.license ?? <span className="muted">—</span>}</td>
                    <td title={formatDate(m.updatedAt)}>{timeAgo(m.updatedAt)}</td>
                  </tr>
                ))}
                {models.data.items.length === 0 ? (
                  <tr>
                    <td colSpan={7} className="muted empty">{q ? 'No model matches this filter.' : 'No models yet: register one with `modelplane model register NAME` or run a pipeline.'}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <Pager page={page} size={SIZE} total={models.data.total} onPage={(p) => navigate(withQuery(q, p, sort))} />
        </>
      ) : null}
    </div>
  );
}
