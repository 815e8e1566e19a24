/** The application shell: session, header with navigation, live indicator, and the routed page. */
import { lazy, Suspense, useEffect, useState } from 'react';
import type { StageChangeEvent } from './api/types';
import { SessionProvider, useSession } from './auth/session';
import { Loading } from './components/ui';
import { useModelEvents, useLiveStatus } from './live/use-live';
import { LoginPage } from './pages/login-page';
import { ModelPage } from './pages/model-page';
import { ModelsPage } from './pages/models-page';
import { NotFoundPage } from './pages/not-found-page';
import { RunsPage } from './pages/runs-page';
import { VersionPage } from './pages/version-page';
import { Link, match, navigate, paths, useLocation } from './router';

const ComparePage = lazy(() => import('./pages/compare-page').then((m) => ({ default: m.ComparePage })));
const RunPage = lazy(() => import('./pages/run-page').then((m) => ({ default: m.RunPage })));

/** The dashboard. */
export function App() {
  return (
    <SessionProvider login={(props) => <LoginPage {...props} />}>
      <Shell />
    </SessionProvider>
  );
}

function Routed() {
  const { path, query } = useLocation();
  useEffect(() => {
    if (path === '/' || path === '') navigate(paths.models(), { replace: true });
  }, [path]);
  let m: Record<string, string> | null;
  if (path === '/' || path === '/models') return <ModelsPage query={query} />;
  if ((m = match('/models/:name', path))) return <ModelPage name={m.name!} query={query} />;
  if ((m = match('/models/:name/compare', path))) return <ComparePage name={m.name!} versions={query.getAll('v')} />;
  if ((m = match('/models/:name/versions/:version', path))) return <VersionPage name={m.name!} version={m.version!} />;
  if (path === '/runs') return <RunsPage query={query} />;
  if ((m = match('/runs/:id', path))) return <RunPage id={m.id!} />;
  return <NotFoundPage path={path} />;
}

interface Toast {
  id: number;
  text: string;
}

function LiveToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  useModelEvents(null, (e) => {
    if (e.event !== 'stage_change') return;
    const { modelName, transition: t } = e.data as StageChangeEvent;
    const toast = { id: Date.now() + Math.random(), text: `${modelName} v${t.versionNumber}: ${t.fromStage} → ${t.toStage} by ${t.actor}` };
    setToasts((ts) => [...ts.slice(-3), toast]);
    setTimeout(() => setToasts((ts) => ts.filter((x) => x.id !== toast.id)), 6000);
  });
  return (
    <div className="toasts" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="toast">{t.text}</div>
      ))}
    </div>
  );
}

function Shell() {
  const session = useSession();
  const live = useLiveStatus();
  const { path } = useLocation();
  const section = path.startsWith('/runs') ? 'runs' : 'models';
  return (
    <div className="app">
      <header className="topbar">
        <Link to={paths.models()} className="brand">modelplane</Link>
        <nav>
          <Link to={paths.models()} className={section === 'models' ? 'active' : ''}>Models</Link>
          <Link to={paths.runs()} className={section === 'runs' ? 'active' : ''}>Runs</Link>
        </nav>
        <div className="spacer" />
        <span className={`live ${live ? 'on' : 'off'}`} title={live ? 'Live updates connected' : 'Live updates not connected'} data-testid="live-indicator">
          ● {live ? 'live' : 'offline'}
        </span>
        <span className="who" data-testid="who">
          {session.auth ? `${session.name ?? 'unknown key'} · ${session.role}` : 'local · no auth'}
        </span>
        {session.auth ? (
          <button type="button" className="link" onClick={session.signOut}>Sign out</button>
        ) : null}
      </header>
      <main>
        <Suspense fallback={<Loading />}>
          <Routed />
        </Suspense>
      </main>
      <LiveToasts />
    </div>
  );
}
