/**
 * The station's supervisor API called from the page's browser context (`page.request`
 * shares the context's cookies): how a test checks what the dashboard did, and signs in
 * without the form when the form is not what the test is about.
 */
import { expect, type APIRequestContext, type Page } from '@playwright/test';
import type { ApiArgs, ApiError, ApiMethod, ApiResult, ApiResults, SessionInfo } from '../../../src/shared/api/station-api.ts';

/** `POST /api/v1/{method}` as the dashboard sends it; returns the HTTP status and the result. */
export async function callApi<M extends ApiMethod>(request: APIRequestContext, ui: string, method: M, args: ApiArgs<M>): Promise<{ status: number; result: ApiResult<ApiResults[M]> }> {
  const response = await request.post(`${ui}/api/v1/${method}`, { data: args });
  const body = (await response.json()) as { ok: true; value: ApiResults[M] } | { error: ApiError };
  return { status: response.status(), result: 'error' in body ? { ok: false, error: body.error } : body };
}

/** The value of a call that must succeed. */
export async function apiValue<M extends ApiMethod>(request: APIRequestContext, ui: string, method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
  const { status, result } = await callApi(request, ui, method, args);
  if (!result.ok) throw new Error(`${method} answered ${status}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** Signs the page's context in through the session route (the login form has its own test). */
export async function signInByApi(page: Page, ui: string, username: string, password: string): Promise<SessionInfo> {
  const response = await page.request.post(`${ui}/api/v1/session`, { data: { username, password } });
  expect(response.status(), `sign-in of ${username}`).toBe(200);
  return (await response.json()) as SessionInfo;
}
