/**
 * React access to the station connection, and the query helpers every screen uses.
 *
 * Query keys are `[method, args]`, so the live feed can invalidate by method name
 * (`live-invalidation.ts`). Failed results become `ApiCallError`s carrying the contract's
 * error code, which screens show as a sentence and never retry when it is a refusal (4xx).
 */
import { createContext, useContext } from 'react';
import type { ReactNode } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UseQueryOptions } from '@tanstack/react-query';
import type { ApiArgs, ApiErrorCode, ApiMethod, ApiResult, ApiResults, StationApi } from '../../shared/api/station-api.ts';
import type { StationConnection } from './connection.ts';

const ConnectionContext = createContext<StationConnection | null>(null);

export function ConnectionProvider({ connection, children }: { connection: StationConnection; children: ReactNode }) {
  return <ConnectionContext value={connection}>{children}</ConnectionContext>;
}

export function useConnection(): StationConnection {
  const connection = useContext(ConnectionContext);
  if (connection === null) throw new Error('useConnection must be used inside <ConnectionProvider>');
  return connection;
}

export function useStationApi(): StationApi {
  return useConnection().api;
}

export class ApiCallError extends Error {
  readonly code: ApiErrorCode;
  constructor(code: ApiErrorCode, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.code = code;
  }
}

export function unwrap<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiCallError(result.error.code, result.error.message);
}

export type ApiQueryKey<M extends ApiMethod> = readonly [M, ApiArgs<M>];

export function apiQueryKey<M extends ApiMethod>(method: M, args: ApiArgs<M>): ApiQueryKey<M> {
  return [method, args];
}

type ApiQueryOptions<M extends ApiMethod> = Omit<UseQueryOptions<ApiResults[M], Error, ApiResults[M], ApiQueryKey<M>>, 'queryKey' | 'queryFn'>;

/** `useQuery` over one StationApi method. */
export function useApiQuery<M extends ApiMethod>(method: M, args: ApiArgs<M>, options?: ApiQueryOptions<M>) {
  const api = useStationApi();
  return useQuery({
    ...options,
    queryKey: apiQueryKey(method, args),
    queryFn: async () => unwrap(await api[method](args)),
  });
}

/** `useMutation` over one StationApi method; `onDone` runs after success. */
export function useApiMutation<M extends ApiMethod>(method: M, invalidate: readonly ApiMethod[] = []) {
  const api = useStationApi();
  const queryClient = useQueryClient();
  return useMutation<ApiResults[M], Error, ApiArgs<M>>({
    mutationFn: async (args) => unwrap(await api[method](args)),
    onSuccess: async () => {
      const methods = new Set<string>(invalidate);
      await queryClient.invalidateQueries({ predicate: (q) => methods.has(String(q.queryKey[0])) });
    },
  });
}

export function isRefusal(error: unknown): boolean {
  return error instanceof ApiCallError && error.code !== 'INTERNAL';
}
