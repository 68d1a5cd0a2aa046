/** Loading, error and empty states, worded for people. */
import type { ReactNode } from 'react';
import { ApiCallError } from '../api/api-context.tsx';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function errorText(error: unknown): string {
  if (error instanceof ApiCallError) {
    if (error.code === 'FORBIDDEN') return `${error.message} (Only a supervisor can do this.)`;
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}

export function ErrorBox({ error, onRetry, testId }: { error: unknown; onRetry?: (() => void) | undefined; testId?: string | undefined }) {
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      <p>{errorText(error)}</p>
      {onRetry === undefined ? null : (
        <button type="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}
