/**
 * Sign-in and first run (headless shell only). The first supervisor can be created only
 * while no account exists, and only from the station computer itself: elsewhere the screen
 * says where to go instead of showing a form that would be refused.
 */
import { useId, useState } from 'react';
import type { FormEvent, ReactNode } from 'react';
import type { ApiResult, SessionInfo } from '../../shared/api/station-api.ts';
import type { Credentials } from '../api/http-transport.ts';

function fieldText(form: FormData, name: string): string {
  const value = form.get(name);
  return typeof value === 'string' ? value : '';
}

function AuthFrame({ title, children }: { title: string; children: ReactNode }) {
  return (
    <main className="auth" id="main">
      <div className="auth-card">
        <p className="brand">WellOS Field Station</p>
        <h1>{title}</h1>
        {children}
      </div>
    </main>
  );
}

interface LoginProps {
  notice: string | null;
  onLogin: (credentials: Credentials) => Promise<ApiResult<SessionInfo>>;
}

export function LoginScreen({ notice, onLogin }: LoginProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setBusy(true);
    setError(null);
    const result = await onLogin({ username: fieldText(form, 'username').trim(), password: fieldText(form, 'password') });
    setBusy(false);
    if (!result.ok) setError(result.error.code === 'UNAUTHORIZED' ? 'Wrong username or password. Check them and try again.' : result.error.message);
  };
  return (
    <AuthFrame title="Sign in">
      {notice === null ? null : (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)} aria-describedby={error === null ? undefined : errorId}>
        <label htmlFor="login-username">Username</label>
        <input id="login-username" name="username" autoComplete="username" required autoFocus data-testid="login-username" />
        <label htmlFor="login-password">Password</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required data-testid="login-password" />
        {error === null ? null : (
          <p className="form-error" role="alert" id={errorId} data-testid="login-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="login-submit">
          {busy ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </AuthFrame>
  );
}

interface FirstRunProps {
  local: boolean;
  onCreate: (credentials: Credentials) => Promise<ApiResult<SessionInfo>>;
}

export function FirstRunScreen({ local, onCreate }: FirstRunProps) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!local) {
    return (
      <AuthFrame title="Create the first supervisor">
        <p>This station has no accounts yet.</p>
        <p data-testid="setup-not-local">
          For safety, the first supervisor can only be created <strong>on the station computer itself</strong>. Open this dashboard in a browser on that computer (the address the station
          printed when it started, usually <code>http://127.0.0.1:7421</code>), or run <code>npm run station -- user add --username NAME --role supervisor</code> there.
        </p>
      </AuthFrame>
    );
  }
  const submit = async (event: FormEvent<HTMLFormElement>): Promise<void> => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const username = fieldText(form, 'username').trim();
    const password = fieldText(form, 'password');
    if (password !== fieldText(form, 'confirm')) {
      setError('The two passwords are not the same. Type them again.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await onCreate({ username, password });
    setBusy(false);
    if (!result.ok) setError(result.error.message);
  };
  return (
    <AuthFrame title="Create the first supervisor">
      <p>This station has no accounts yet. Choose the username and password of the first supervisor. You will use them to sign in, and can add more people later.</p>
      <form onSubmit={(e) => void submit(e)}>
        <label htmlFor="setup-username">Username</label>
        <input id="setup-username" name="username" autoComplete="username" required autoFocus pattern="[A-Za-z0-9._\-]{2,64}" aria-describedby="setup-username-hint" data-testid="setup-username" />
        <p className="hint" id="setup-username-hint">
          2 to 64 letters, digits, dots, dashes or underscores.
        </p>
        <label htmlFor="setup-password">Password</label>
        <input id="setup-password" name="password" type="password" autoComplete="new-password" required data-testid="setup-password" />
        <label htmlFor="setup-confirm">Type the password again</label>
        <input id="setup-confirm" name="confirm" type="password" autoComplete="new-password" required data-testid="setup-password-confirm" />
        {error === null ? null : (
          <p className="form-error" role="alert" data-testid="setup-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy} data-testid="setup-submit">
          {busy ? 'Creating…' : 'Create supervisor and sign in'}
        </button>
      </form>
    </AuthFrame>
  );
}

export function StationDownScreen({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <AuthFrame title="Cannot reach the station">
      <p role="alert">{message}</p>
      <button type="button" className="primary" onClick={onRetry}>
        Try again
      </button>
    </AuthFrame>
  );
}
