/** Small shared pieces of UI: stage badges, tags, errors, pagers, sortable headers, cards. */
import type { ReactNode } from 'react';
import type { ApiError } from '../api/client';
import type { Stage } from '../api/types';

/** A coloured badge for a stage. */
export function StageBadge({ stage }: { stage: Stage | string }) {
  return <span className={`badge stage-${stage}`} data-stage={stage}>{stage}</span>;
}

/** A list of tag chips. */
export function Tags({ tags }: { tags: string[] }) {
  if (tags.length === 0) return <span className="muted">—</span>;
  return (
    <span className="tags">
      {tags.map((t) => (
        <span key={t} className="tag">{t}</span>
      ))}
    </span>
  );
}

/** A coloured status (completed, failed, cached …). */
export function Status({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}

/** An API error as a red box. */
export function ErrorBox({ error, what }: { error: ApiError | Error; what?: string }) {
  return (
    <div className="error-box" role="alert">
      {what ? `${what}: ` : ''}
      {error.message}
    </div>
  );
}

/** A muted "Loading…" line. */
export function Loading({ what = '' }: { what?: string }) {
  return <div className="muted loading">Loading{what ? ` ${what}` : ''}…</div>;
}

/** A titled card. */
export function Card({ title, children, actions, className = '', testId }: { title?: ReactNode; children: ReactNode; actions?: ReactNode; className?: string; testId?: string }) {
  return (
    <section className={`card ${className}`} data-testid={testId}>
      {title !== undefined || actions !== undefined ? (
        <header className="card-head">
          <h2>{title}</h2>
          {actions ? <div className="card-actions">{actions}</div> : null}
        </header>
      ) : null}
      <div className="card-body">{children}</div>
    </section>
  );
}

/** Previous / next page controls with the total. */
export function Pager({ page, size, total, onPage }: { page: number; size: number; total: number; onPage: (page: number) => void }) {
  const pages = Math.max(1, Math.ceil(total / size));
  return (
    <div className="pager">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>‹ Prev</button>
      <span>
        Page {page} of {pages} · {total.toLocaleString()} total
      </span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>Next ›</button>
    </div>
  );
}

/** A table header cell that sorts by `field` (click again to reverse). `sort` is `field` or `-field`. */
export function SortHeader({ field, sort, onSort, children, numeric }: { field: string; sort: string; onSort: (sort: string) => void; children: ReactNode; numeric?: boolean }) {
  const active = sort === field || sort === `-${field}`;
  const desc = sort === `-${field}`;
  return (
    <th className={`sortable${numeric ? ' num' : ''}${active ? ' active' : ''}`} aria-sort={active ? (desc ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => onSort(active && !desc ? `-${field}` : active ? field : numeric ? `-${field}` : field)}>
        {children}
        <span className="arrow">{active ? (desc ? '▼' : '▲') : ''}</span>
      </button>
    </th>
  );
}

/** A definition list of label → value, skipping empty values when `hideEmpty`. */
export function Fields({ items, hideEmpty }: { items: Array<[string, ReactNode]>; hideEmpty?: boolean }) {
  const shown = hideEmpty ? items.filter(([, v]) => v !== null && v !== undefined && v !== '') : items;
  return (
    <dl className="fields">
      {shown.map(([k, v]) => (
        <div key={k} className="field">
          <dt>{k}</dt>
          <dd>{v === null || v === undefined || v === '' ? <span className="muted">—</span> : v}</dd>
        </div>
      ))}
    </dl>
  );
}
