/** Two or more versions side by side: fields, metadata with differences and deltas, artifact hashes. */
import { useEffect, useState, type FormEvent } from 'react';
import { ApiError, apiUrl, get, seg } from '../api/client';
import type { ArtifactVersion, ModelVersion, Page } from '../api/types';
import { Card, ErrorBox, Loading, StageBadge } from '../components/ui';
import { flatten, formatDate, formatDelta, formatValue, shortHash } from '../format';
import { useModelEvents } from '../live/use-live';
import { Link, navigate, paths } from '../router';

interface Loaded {
  version: ModelVersion;
  artifacts: ArtifactVersion[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Compares the versions named in `versions` (numbers, names or stages); the first is the baseline. */
export function ComparePage({ name, versions }: { name: string; versions: string[] }) {
  const [loaded, setLoaded] = useState<Loaded[] | null>(null);
  const [error, setError] = useState<Error | null>(null);
  const [tick, setTick] = useState(0);
  const [add, setAdd] = useState('');
  const [onlyDiff, setOnlyDiff] = useState(false);
  useModelEvents(name, () => setTick((t) => t + 1));
  const key = versions.join(',');

  useEffect(() => {
    let cancelled = false;
    setError(null);
    Promise.all(
      versions.map(async (sel) => {
        const version = await get<ModelVersion>(apiUrl(`/models/${seg(name)}/versions/${seg(sel)}`));
        const artifacts = await get<Page<ArtifactVersion>>(apiUrl(`/model_versions/${seg(version.id)}/artifacts`, { size: 1000 }));
        return { version, artifacts: artifacts.items };
      }),
    ).then(
      (all) => !cancelled && setLoaded(all),
      (err: unknown) => !cancelled && setError(err instanceof Error ? err : new ApiError(0, 'error', String(err))),
    );
    return () => {
      cancelled = true;
    };
  }, [name, key, tick]);

  const go = (list: string[]) => navigate(paths.compare(name, list), { replace: true });
  const submitAdd = (e: FormEvent) => {
    e.preventDefault();
    if (add.trim()) go([...versions, add.trim()]);
    setAdd('');
  };

  const shown = loaded && loaded.length === versions.length ? loaded.map((l) => String(l.version.number)) : versions;
  const title = shown.map((v) => (/^\d+$/.test(v) ? `v${v}` : v)).join(' · ');
  const head = (
    <>
      <div className="crumbs">
        <Link to={paths.models()}>Models</Link> / <Link to={paths.model(name)}>{name}</Link> / <span>compare</span>
      </div>
      <div className="page-head">
        <h1>Compare {title}</h1>
        <div className="spacer" />
        <label className="small">
          <input type="checkbox" checked={onlyDiff} onChange={(e) => setOnlyDiff(e.target.checked)} /> only differences
        </label>
        <form onSubmit={submitAdd} className="inline-form">
          <input aria-label="Add a version" placeholder="add version #" value={add} onChange={(e) => setAdd(e.target.value)} size={14} />
          <button type="submit">Add</button>
        </form>
      </div>
    </>
  );
  if (versions.length < 2) return <div className="page">{head}<div className="muted">Pick two or more versions (on the model page, tick them and press Compare), or add one above.</div></div>;
  if (error) return <div className="page">{head}<ErrorBox error={error} /></div>;
  if (!loaded || loaded.length !== versions.length) return <div className="page">{head}<Loading what="versions" /></div>;

  const base = loaded[0]!;
  const values = loaded.map((l) => flatten(Object.fromEntries(Object.entries(l.version.runMetadata).map(([k, e]) => [k, e.value]))));
  const paths_ = [...new Set(values.flatMap((v) => Object.keys(v)))].sort();
  const artifactNames = [...new Set(loaded.flatMap((l) => l.artifacts.map((a) => a.name)))].sort();
  const latestOf = (l: Loaded, n: string) => l.artifacts.filter((a) => a.name === n).sort((a, b) => b.version - a.version)[0];

  const metaRows = paths_.map((p) => {
    const cells = values.map((v) => v[p]);
    return { path: p, cells, differs: cells.some((c) => !same(c, cells[0])) };
  });
  const artRows = artifactNames.map((n) => {
    const cells = loaded.map((l) => latestOf(l, n));
    return { name: n, cells, differs: cells.some((c) => c?.contentHash !== cells[0]?.contentHash) };
  });
  const differing = metaRows.filter((r) => r.differs).length;

  return (
    <div className="page">
      {head}
      <Card title={`Metadata (${differing} of ${metaRows.length} differ)`} testId="compare-metadata">
        <div className="table-wrap">
          <table className="grid compare">
            <thead>
              <tr>
                <th>Field</th>
                {loaded.map((l, i) => (
                  <th key={l.version.id} className="num">
                    <Link to={paths.version(name, l.version.number)}>v{l.version.number}</Link> <StageBadge stage={l.version.stage} />
                    {i === 0 ? <div className="muted small">baseline</div> : null}
                    {versions.length > 2 ? (
                      <button type="button" className="link small" onClick={() => go(versions.filter((_, j) => j !== i))}>remove</button>
                    ) : null}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                <th>created</th>
                {loaded.map((l) => (
                  <td key={l.version.id} className="num">{formatDate(l.version.createdAt)}</td>
                ))}
              </tr>
              <tr className={loaded.some((l) => !same(l.version.tags, base.version.tags)) ? 'diff' : ''}>
                <th>tags</th>
                {loaded.map((l) => (
                  <td key={l.version.id} className="num">{l.version.tags.join(', ') || '—'}</td>
                ))}
              </tr>
              {metaRows
                .filter((r) => !onlyDiff || r.differs)
                .map((r) => (
                  <tr key={r.path} className={r.differs ? 'diff' : ''} data-path={r.path}>
                    <th>{r.path}</th>
                    {r.cells.map((c, i) => {
                      const b = r.cells[0];
                      const delta = i > 0 && typeof c === 'number' && typeof b === 'number' && c !== b ? c - b : null;
                      return (
                        <td key={i} className="num">
                          {formatValue(c)}
                          {delta !== null ? <span className={`delta ${delta > 0 ? 'up' : 'down'}`}> {formatDelta(delta)}</span> : null}
                        </td>
                      );
                    })}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </Card>
      <Card title="Artifacts (latest version of each name, sha256)" testId="compare-artifacts">
        <div className="table-wrap">
          <table className="grid compare">
            <thead>
              <tr>
                <th>Artifact</th>
                {loaded.map((l) => (
                  <th key={l.version.id}>v{l.version.number}</th>
                ))}
                <th>Same bytes?</th>
              </tr>
            </thead>
            <tbody>
              {artRows
                .filter((r) => !onlyDiff || r.differs)
                .map((r) => (
                  <tr key={r.name} className={r.differs ? 'diff' : ''} data-artifact={r.name}>
                    <th>{r.name}</th>
                    {r.cells.map((a, i) => (
                      <td key={i}>
                        {a ? (
                          <span title={a.contentHash}>
                            v{a.version} · <code>{shortHash(a.contentHash)}</code>
                          </span>
                        ) : (
                          <span className="muted">—</span>
                        )}
                      </td>
                    ))}
                    <td>{r.differs ? <span className="delta down">differ</span> : <span className="delta up">identical</span>}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}
