/** One artifact version: name, version, size, hash, and a preview (JSON, table rows, image, text). */
import { useEffect, useState } from 'react';
import { apiUrl, authHeaders, seg } from '../api/client';
import type { ArtifactPreview, ArtifactVersion } from '../api/types';
import { useApi } from '../api/use-api';
import { formatBytes, formatDate, formatValue, shortHash } from '../format';
import { Link, paths } from '../router';

function ImagePreview({ id, mediaType }: { id: string; mediaType: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let url: string | null = null;
    let cancelled = false;
    void fetch(apiUrl(`/artifact_versions/${seg(id)}/content`), { headers: authHeaders() })
      .then((r) => (r.ok ? r.blob() : null))
      .then((blob) => {
        if (!blob || cancelled) return;
        url = URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: mediaType }));
        setSrc(url);
      });
    return () => {
      cancelled = true;
      if (url) URL.revokeObjectURL(url);
    };
  }, [id, mediaType]);
  return src ? <img className="preview-img" src={src} alt="artifact preview" /> : <div className="muted small">loading image…</div>;
}

function Preview({ av }: { av: ArtifactVersion }) {
  const preview = useApi<ArtifactPreview>(apiUrl(`/artifact_versions/${seg(av.id)}/preview`));
  if (preview.error) return <div className="muted small">{preview.error.status === 404 ? 'No preview available from this server.' : preview.error.message}</div>;
  const p = preview.data;
  if (!p) return <div className="muted small">loading preview…</div>;
  switch (p.kind) {
    case 'json': {
      const text = JSON.stringify(p.value, null, 2);
      return (
        <pre className="preview-json">
          {text.length > 4000 ? `${text.slice(0, 4000)}\n…` : text}
          {p.truncated ? '\n… (truncated)' : ''}
        </pre>
      );
    }
    case 'table':
      return (
        <div className="preview-table">
          <table className="grid compact">
            <thead>
              <tr>
                {p.columns.map((c) => (
                  <th key={c}>{c}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {p.rows.slice(0, 10).map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) => (
                    <td key={j} className={typeof cell === 'number' ? 'num' : ''}>{formatValue(cell)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
          <div className="muted small">
            first {Math.min(10, p.rows.length)} of {p.totalRows.toLocaleString()} rows
          </div>
        </div>
      );
    case 'image':
      return <ImagePreview id={av.id} mediaType={p.mediaType} />;
    case 'text':
      return (
        <pre className="preview-json">
          {p.text.length > 4000 ? `${p.text.slice(0, 4000)}\n…` : p.text}
          {p.truncated ? '\n… (truncated)' : ''}
        </pre>
      );
    case 'binary':
      return (
        <div className="muted small">
          Binary value ({p.dataType}, materializer {p.materializer}, {formatBytes(p.size)}): no preview.
        </div>
      );
  }
}

/** The card of one artifact version, with its preview collapsed or open. */
export function ArtifactCard({ av, open: initiallyOpen }: { av: ArtifactVersion; open: boolean }) {
  const [open, setOpen] = useState(initiallyOpen);
  return (
    <div className="artifact" data-artifact={av.name}>
      <div className="artifact-head">
        <span className="strong">{av.name}</span> <span className="muted">v{av.version}</span>
        <span className="chip">{av.dataType}</span>
        <span className="spacer" />
        <span className="muted small">{formatBytes(av.size)}</span>
      </div>
      <div className="artifact-meta small">
        <span title={av.contentHash} className="hash">sha256 {shortHash(av.contentHash)}…</span>
        <span className="muted">{formatDate(av.createdAt)}</span>
        {av.producerRunId ? <Link to={paths.run(av.producerRunId)}>producer run</Link> : null}
        <button type="button" className="link" onClick={() => setOpen((o) => !o)}>{open ? 'hide preview' : 'preview'}</button>
      </div>
      {open ? <Preview av={av} /> : null}
    </div>
  );
}
