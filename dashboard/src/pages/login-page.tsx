/** The login screen of server mode: asks for an API key. */
import { useState, type FormEvent } from 'react';

/** Asks for an API key and hands it to `onKey`, which verifies it. */
export function LoginPage({ onKey, message }: { onKey: (key: string) => Promise<void>; message: string | null }) {
  const [key, setKey] = useState('');
  const [error, setError] = useState<string | null>(message);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await onKey(key.trim());
    } catch (err) {
      setError((err as Error).message);
      setBusy(false);
    }
  };
  return (
    <div className="login">
      <form className="card login-card" onSubmit={(e) => void submit(e)}>
        <h1>modelplane</h1>
        <p className="muted">This server needs an API key. Create one with <code>modelplane apikey create --name NAME --role viewer|editor|admin</code>.</p>
        <label>
          API key
          <input type="password" name="apiKey" autoComplete="off" autoFocus value={key} onChange={(e) => setKey(e.target.value)} placeholder="mp_…" />
        </label>
        {error ? <div className="error-box" role="alert">{error}</div> : null}
        <button type="submit" className="primary" disabled={busy || key.trim() === ''}>{busy ? 'Signing in…' : 'Sign in'}</button>
      </form>
    </div>
  );
}
