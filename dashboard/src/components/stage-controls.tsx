/** Promote / demote buttons of a version: ask for a reason, confirm a force, hidden from roles that may not. */
import { useEffect, useState, type FormEvent } from 'react';
import { apiUrl, request, seg } from '../api/client';
import type { ModelVersion, Page, Stage } from '../api/types';
import { useSession } from '../auth/session';
import { allowedTargets } from '../auth/permissions';
import { StageBadge } from './ui';

const LABEL: Record<Stage, string> = { staging: 'Promote to staging', production: 'Promote to production', archived: 'Archive', none: 'Set to none' };
const EXCLUSIVE: readonly Stage[] = ['staging', 'production'];

/** The stage buttons allowed for the session's role, and the confirmation dialog. */
export function StageControls({ version, onChanged }: { version: ModelVersion; onChanged: (v: ModelVersion) => void }) {
  const { role } = useSession();
  const [target, setTarget] = useState<Stage | null>(null);
  const targets = allowedTargets(role, version.stage);
  if (targets.length === 0) return role === 'viewer' ? null : <span className="muted small">Your role ({role}) may not change the stage of a production version.</span>;
  return (
    <div className="stage-controls" data-testid="stage-controls">
      {targets.map((s) => (
        <button key={s} type="button" className={`stage-btn to-${s}`} onClick={() => setTarget(s)} data-target={s}>
          {LABEL[s]}
        </button>
      ))}
      {target ? (
        <StageDialog
          version={version}
          target={target}
          onClose={() => setTarget(null)}
          onDone={(v) => {
            setTarget(null);
            onChanged(v);
          }}
        />
      ) : null}
    </div>
  );
}

function StageDialog({ version, target, onClose, onDone }: { version: ModelVersion; target: Stage; onClose: () => void; onDone: (v: ModelVersion) => void }) {
  const [reason, setReason] = useState('');
  const [force, setForce] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [holder, setHolder] = useState<ModelVersion | null | undefined>(EXCLUSIVE.includes(target) ? undefined : null);

  useEffect(() => {
    if (!EXCLUSIVE.includes(target)) return;
    let cancelled = false;
    request<Page<ModelVersion>>('GET', apiUrl('/model_versions', { model: version.modelName, stage: target, size: 1 })).then(
      (page) => !cancelled && setHolder(page.items.find((v) => v.id !== version.id) ?? null),
      (err: unknown) => {
        if (cancelled) return;
        setHolder(null);
        setError((err as Error).message);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [target, version.id, version.modelName]);

  const needsForce = holder !== null && holder !== undefined;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const updated = await request<ModelVersion>('PATCH', apiUrl(`/model_versions/${seg(version.id)}`), { stage: target, reason: reason.trim(), force: needsForce && force });
      onDone(updated);
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="modal-backdrop" onClick={onClose} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <form className="modal card" role="dialog" aria-label={LABEL[target]} onSubmit={(e) => void submit(e)} onClick={(e) => e.stopPropagation()}>
        <h2>
          v{version.number}: <StageBadge stage={version.stage} /> → <StageBadge stage={target} />
        </h2>
        <label>
          Reason (recorded in the stage history)
          <textarea name="reason" rows={3} autoFocus value={reason} onChange={(e) => setReason(e.target.value)} placeholder="e.g. beats v3 on accuracy" />
        </label>
        {holder === undefined ? <div className="muted">Checking who holds {target}…</div> : null}
        {needsForce ? (
          <label className="force">
            <input type="checkbox" name="force" checked={force} onChange={(e) => setForce(e.target.checked)} />
            <span>
              v{holder.number} holds {target} now. Force: move v{holder.number} to <b>archived</b> in the same transaction.
            </span>
          </label>
        ) : null}
        {error ? <div className="error-box" role="alert">{error}</div> : null}
        <div className="modal-actions">
          <button type="button" onClick={onClose}>Cancel</button>
          <button type="submit" className="primary" disabled={busy || reason.trim() === '' || holder === undefined || (needsForce && !force)}>
            {LABEL[target]}
          </button>
        </div>
      </form>
    </div>
  );
}
