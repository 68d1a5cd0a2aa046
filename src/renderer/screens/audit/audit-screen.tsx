/**
 * The audit log: every decision, pairing, dock and setting change, hash-chained. Search,
 * page back in time, verify that the chain is unbroken, download as CSV.
 */
import { useState } from 'react';
import { useInfiniteQuery, useMutation } from '@tanstack/react-query';
import type { AuditRow } from '../../../shared/api/station-api.ts';
import { unwrap, useConnection } from '../../api/api-context.tsx';
import { useStationFormat } from '../../app/station-format.tsx';
import { Empty, ErrorBox, Loading } from '../../components/status-message.tsx';
import { useDebounced } from '../../components/use-debounced.ts';
import { formatNumber, prettyJson } from '../../format/format.ts';
import { auditActionLabel, auditActorLabel } from '../../format/labels.ts';

const PAGE_SIZE = 200;
const SEARCH_DEBOUNCE_MS = 250;

function VerifyChain() {
  const { api } = useConnection();
  const verify = useMutation({ mutationFn: async () => unwrap(await api.verifyAudit({})) });
  return (
    <div className="verify">
      <button type="button" onClick={() => verify.mutate()} disabled={verify.isPending} data-testid="verify-chain">
        {verify.isPending ? 'Checking…' : 'Verify chain'}
      </button>
      <div role="status" aria-live="polite" data-testid="verify-result" data-ok={verify.data?.ok}>
        {verify.data === undefined ? null : verify.data.ok ? (
          <p className="ok-text">✓ The log is intact: all {formatNumber(verify.data.entries, 0)} entries check out; none was changed or removed.</p>
        ) : (
          <p className="form-error">
            ✗ The log was tampered with or damaged
            {verify.data.firstBad === null ? '' : ` at entry #${verify.data.firstBad.seq}: ${verify.data.firstBad.problem}`}. Keep a copy of the data folder and tell IT.
          </p>
        )}
        {verify.isError ? <ErrorBox error={verify.error} /> : null}
      </div>
    </div>
  );
}

export function AuditScreen() {
  const { api, exportUrl } = useConnection();
  const fmt = useStationFormat();
  const [q, setQ] = useState('');
  const query = useDebounced(q.trim(), SEARCH_DEBOUNCE_MS);
  const log = useInfiniteQuery({
    queryKey: ['listAudit', { q: query }],
    initialPageParam: undefined as number | undefined,
    queryFn: async ({ pageParam }) => {
      const args: { q?: string; beforeSeq?: number; limit: number } = { limit: PAGE_SIZE };
      if (query !== '') args.q = query;
      if (pageParam !== undefined) args.beforeSeq = pageParam;
      return unwrap(await api.listAudit(args));
    },
    getNextPageParam: (page: AuditRow[]) => (page.length < PAGE_SIZE ? undefined : page[page.length - 1]?.seq),
  });
  const rows = log.data?.pages.flat() ?? [];
  const csv = exportUrl('audit');
  return (
    <>
      <div className="screen-head">
        <h1>Audit log</h1>
        {csv === null ? null : (
          <a className="button" href={csv} download data-testid="export-audit">
            Download as CSV
          </a>
        )}
      </div>
      <p className="muted">Every decision, pairing, dock and settings change, in order. Each entry is chained to the one before, so a changed or removed entry shows up when you verify.</p>
      <VerifyChain />
      <form className="filters" role="search" aria-label="Search the audit log" onSubmit={(e) => e.preventDefault()}>
        <div className="filter grow">
          <label htmlFor="audit-search">Search</label>
          <input id="audit-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="Who, what, conflict or tablet id" data-testid="audit-search" />
        </div>
      </form>
      {log.isPending ? (
        <Loading what="the audit log" />
      ) : log.isError ? (
        <ErrorBox error={log.error} onRetry={() => void log.refetch()} />
      ) : rows.length === 0 ? (
        <Empty>{query === '' ? 'The log is empty.' : `Nothing in the log matches “${query}”.`}</Empty>
      ) : (
        <>
          <div className="table-wrap">
            <table className="data" data-testid="audit-table">
              <caption className="visually-hidden">Audit log entries, newest first</caption>
              <thead>
                <tr>
                  <th scope="col" className="num">
                    #
                  </th>
                  <th scope="col">When</th>
                  <th scope="col">Who</th>
                  <th scope="col">What</th>
                  <th scope="col">About</th>
                  <th scope="col">Details</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.seq} data-testid="audit-row" data-seq={r.seq}>
                    <td className="num">{r.seq}</td>
                    <td className="nowrap">{fmt.dateTime(r.at)}</td>
                    <td>{auditActorLabel(r.actor)}</td>
                    <td>
                      {auditActionLabel(r.action)}
                      {auditActionLabel(r.action) === r.action ? null : <div className="muted small code">{r.action}</div>}
                    </td>
                    <td className="break">{r.subject}</td>
                    <td>
                      <details>
                        <summary>Show</summary>
                        <pre className="json">{prettyJson(r.details)}</pre>
                        <p className="muted small code break">hash {r.hash}</p>
                      </details>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {log.hasNextPage ? (
            <button type="button" onClick={() => void log.fetchNextPage()} disabled={log.isFetchingNextPage} data-testid="audit-more">
              {log.isFetchingNextPage ? 'Loading…' : 'Show older entries'}
            </button>
          ) : null}
        </>
      )}
    </>
  );
}
