/** Metadata of a version: plain values in one table, each nested object as its own card. */
import type { ReactNode } from 'react';
import type { ModelVersion } from '../api/types';
import { formatDate, formatValue } from '../format';

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function Value({ value }: { value: unknown }): ReactNode {
  if (isObject(value)) return <NestedTable value={value} />;
  if (Array.isArray(value)) {
    const text = JSON.stringify(value);
    return <code className="json-inline" title={text}>{text.length > 200 ? `${text.slice(0, 200)}…` : text}</code>;
  }
  return <span className={typeof value === 'number' ? 'num' : ''}>{formatValue(value)}</span>;
}

function NestedTable({ value }: { value: Record<string, unknown> }) {
  return (
    <table className="kv">
      <tbody>
        {Object.entries(value).map(([k, v]) => (
          <tr key={k}>
            <th>{k}</th>
            <td><Value value={v} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** All metadata keys of `runMetadata`, grouped: scalars together, objects as cards. */
export function MetadataCards({ runMetadata }: { runMetadata: ModelVersion['runMetadata'] }) {
  const entries = Object.entries(runMetadata).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <div className="muted">No metadata logged for this version.</div>;
  const scalars = entries.filter(([, e]) => !isObject(e.value));
  const objects = entries.filter(([, e]) => isObject(e.value));
  return (
    <div className="meta-grid" data-testid="metadata">
      {scalars.length > 0 ? (
        <section className="meta-card">
          <h3>values</h3>
          <table className="kv">
            <tbody>
              {scalars.map(([k, e]) => (
                <tr key={k} title={`${e.type}, logged ${formatDate(e.createdAt)}`}>
                  <th>{k}</th>
                  <td><Value value={e.value} /></td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      {objects.map(([k, e]) => (
        <section key={k} className="meta-card" data-key={k}>
          <h3 title={`logged ${formatDate(e.createdAt)}`}>{k}</h3>
          <NestedTable value={e.value as Record<string, unknown>} />
        </section>
      ))}
    </div>
  );
}
