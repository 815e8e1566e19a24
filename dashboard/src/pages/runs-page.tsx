/** Pipeline runs, newest first, paged by the server. */
import { apiUrl } from '../api/client';
import type { Page, PipelineRun } from '../api/types';
import { useApi } from '../api/use-api';
import { ErrorBox, Loading, Pager, Status } from '../components/ui';
import { formatDate, formatDuration } from '../format';
import { Link, navigate, paths } from '../router';

const SIZE = 50;
const STATUSES = ['', 'completed', 'failed', 'running', 'initializing', 'cached'];

/** The runs list, with pipeline and status filters in the URL. */
export function RunsPage({ query }: { query: URLSearchParams }) {
  const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
  const pipeline = query.get('pipeline') ?? '';
  const status = query.get('status') ?? '';
  const runs = useApi<Page<PipelineRun>>(apiUrl('/runs', { page, size: SIZE, pipeline, status }));
  const go = (changes: Record<string, string>) => {
    const params = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v) params.set(k, v);
      else params.delete(k);
    }
    const s = params.toString();
    navigate(`${paths.runs()}${s ? `?${s}` : ''}`);
  };
  return (
    <div className="page">
      <div className="page-head">
        <h1>Pipeline runs</h1>
        <div className="spacer" />
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const value = new FormData(e.currentTarget).get('pipeline');
            go({ pipeline: typeof value === 'string' ? value.trim() : '', page: '' });
          }}
        >
          <input name="pipeline" aria-label="Pipeline" placeholder="pipeline name" defaultValue={pipeline} key={pipeline} />
          <select aria-label="Status" value={status} onChange={(e) => go({ status: e.target.value, page: '' })}>
            {STATUSES.map((s) => (
              <option key={s} value={s}>{s || 'any status'}</option>
            ))}
          </select>
          <button type="submit">Filter</button>
        </form>
      </div>
      {runs.error ? <ErrorBox error={runs.error} /> : null}
      {!runs.data && !runs.error ? <Loading what="runs" /> : null}
      {runs.data ? (
        <>
          <div className="table-wrap">
            <table className="grid" data-testid="runs-table">
              <thead>
                <tr>
                  <th>Run</th>
                  <th>Pipeline</th>
                  <th>Status</th>
                  <th>Started</th>
                  <th className="num">Duration</th>
                  <th>Parameters</th>
                </tr>
              </thead>
              <tbody>
                {runs.data.items.map((r) => (
                  <tr key={r.id} data-run={r.id}>
                    <td><Link to={paths.run(r.id)} className="strong">{r.name}</Link></td>
                    <td>{r.pipelineName}</td>
                    <td><Status status={r.status} /></td>
                    <td>{formatDate(r.startedAt)}</td>
                    <td className="num">{formatDuration(r.startedAt, r.endedAt)}</td>
                    <td className="small ellipsis mono" title={JSON.stringify(r.parameters)}>{JSON.stringify(r.parameters)}</td>
                  </tr>
                ))}
                {runs.data.items.length === 0 ? (
                  <tr>
                    <td colSpan={6} className="muted empty">No runs.</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
          </div>
          <Pager page={page} size={SIZE} total={runs.data.total} onPage={(p) => go({ page: p > 1 ? String(p) : '' })} />
        </>
      ) : null}
    </div>
  );
}
