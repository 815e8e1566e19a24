/** A small history router: path patterns, `navigate`, and a `Link` that avoids full page loads. */
import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

const snapshot = () => window.location.pathname + window.location.search;

/** Goes to `to` (a path with an optional query) without reloading; `replace` keeps the history length. */
export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === snapshot()) return;
  if (options.replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  for (const l of listeners) l();
}

/** The current location as `{ path, query }`, re-rendering on every navigation. */
export function useLocation(): { path: string; query: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  const [path = '/', search = ''] = current.split('?');
  return { path, query: new URLSearchParams(search) };
}

/** Matches `path` against a pattern such as `/models/:name/versions/:version`; params are decoded. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) params[w.slice(1)] = decodeURIComponent(g);
    else if (w !== g) return null;
  }
  return params;
}

/** Paths of the dashboard's pages. */
export const paths = {
  models: () => '/models',
  model: (name: string) => `/models/${encodeURIComponent(name)}`,
  version: (name: string, version: string | number) => `/models/${encodeURIComponent(name)}/versions/${encodeURIComponent(String(version))}`,
  compare: (name: string, versions: Array<string | number>) =>
    `/models/${encodeURIComponent(name)}/compare?${versions.map((v) => `v=${encodeURIComponent(String(v))}`).join('&')}`,
  runs: () => '/runs',
  run: (id: string) => `/runs/${encodeURIComponent(id)}`,
};

/** An anchor that navigates inside the app (ctrl/middle clicks still open new tabs). */
export function Link({ to, onClick, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={handle} {...rest} />;
}
