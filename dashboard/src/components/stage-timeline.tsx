/** The stage history of a model as a vertical timeline, newest first. */
import { useState } from 'react';
import type { StageTransition } from '../api/types';
import { formatDate } from '../format';
import { Link, paths } from '../router';
import { StageBadge } from './ui';

/** Shows transitions newest first (20 at a time). */
export function StageTimeline({ model, items }: { model: string; items: StageTransition[] }) {
  const [limit, setLimit] = useState(20);
  if (items.length === 0) return <div className="muted">No stage changes yet.</div>;
  const newest = [...items].reverse();
  return (
    <>
      <ol className="timeline">
        {newest.slice(0, limit).map((t) => (
          <li key={t.id} className={`to-${t.toStage}`}>
            <div className="when">{formatDate(t.createdAt)}</div>
            <div>
              <Link to={paths.version(model, t.versionNumber)} className="strong">v{t.versionNumber}</Link> <StageBadge stage={t.fromStage} /> → <StageBadge stage={t.toStage} />
            </div>
            <div className="muted small">
              by {t.actor}
              {t.displacedVersionNumber !== null ? ` · archived v${t.displacedVersionNumber}` : ''}
            </div>
            {t.reason ? <div className="reason">“{t.reason}”</div> : null}
          </li>
        ))}
      </ol>
      {newest.length > limit ? (
        <button type="button" className="link" onClick={() => setLimit((l) => l + 50)}>Show more ({newest.length - limit} older)</button>
      ) : null}
    </>
  );
}
