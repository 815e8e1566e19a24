/** Who is using the dashboard: whether the server needs a key, the key's name and role, sign in and out. */
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import { ApiError, apiUrl, get, onUnauthorized, request, storedKey, storeKey } from '../api/client';
import type { Health, Role, WhoAmI } from '../api/types';
import { events } from '../live/event-stream';
import { asRole } from './permissions';

/** The signed-in session. */
export interface Session {
  /** Whether the server asks for an API key (false for `modelplane up`). */
  auth: boolean;
  /** The key's name, or null without auth. */
  name: string | null;
  role: Role;
  version: string;
  signOut: () => void;
}

const SessionContext = createContext<Session | null>(null);

/** The current session (inside {@link SessionProvider}). */
export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside SessionProvider');
  return s;
}

type State =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'login'; health: Health; message: string | null }
  | { kind: 'ready'; health: Health; me: WhoAmI | null };

/** Resolves the session, showing `login` when a key is needed and `children` once signed in. */
export function SessionProvider({ children, login }: { children: ReactNode; login: (props: { onKey: (key: string) => Promise<void>; message: string | null }) => ReactNode }) {
  const [state, setState] = useState<State>({ kind: 'loading' });

  const signOut = useCallback(() => {
    storeKey(null);
    events.stop();
    setState((s) => (s.kind === 'ready' || s.kind === 'login' ? { kind: 'login', health: s.health, message: null } : s));
  }, []);

  useEffect(() => {
    let cancelled = false;
    (async () => {
      let health: Health;
      try {
        health = await get<Health>(apiUrl('/health'));
      } catch (err) {
        if (!cancelled) setState({ kind: 'failed', message: (err as Error).message });
        return;
      }
      if (!health.auth) {
        if (!cancelled) setState({ kind: 'ready', health, me: null });
        return;
      }
      const key = storedKey();
      if (!key) {
        if (!cancelled) setState({ kind: 'login', health, message: null });
        return;
      }
      try {
        const me = await request<WhoAmI>('GET', apiUrl('/api_keys/me'), undefined, { key });
        if (!cancelled) setState({ kind: 'ready', health, me });
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) storeKey(null);
        if (!cancelled) setState({ kind: 'login', health, message: (err as Error).message });
      }
    })();
    return () => {
      cancelled = true;
    };
  }, []);

  useEffect(() => {
    onUnauthorized(() => {
      storeKey(null);
      setState((s) => (s.kind === 'ready' ? { kind: 'login', health: s.health, message: 'The server no longer accepts this API key: sign in again.' } : s));
    });
    return () => onUnauthorized(null);
  }, []);

  useEffect(() => {
    if (state.kind !== 'ready') return;
    events.start();
    return () => events.stop();
  }, [state.kind]);

  if (state.kind === 'loading') return <div className="center muted">Connecting…</div>;
  if (state.kind === 'failed') return <div className="center error-box">The modelplane server could not be reached: {state.message}</div>;
  if (state.kind === 'login') {
    const health = state.health;
    const onKey = async (key: string) => {
      const me = await request<WhoAmI>('GET', apiUrl('/api_keys/me'), undefined, { key });
      storeKey(key);
      setState({ kind: 'ready', health, me });
    };
    return <>{login({ onKey, message: state.message })}</>;
  }
  const session: Session = {
    auth: state.health.auth,
    name: state.me?.name ?? null,
    role: state.health.auth ? asRole(state.me?.role) : 'admin',
    version: state.health.version,
    signOut,
  };
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}
