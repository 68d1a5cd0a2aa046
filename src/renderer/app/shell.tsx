/**
 * The signed-in dashboard: top bar (station, live state, who), the main navigation, and
 * the screen of the current hash route. Owns the live feed subscription and the "?" help.
 */
import { DecisionNotice } from '../components/decision-notice.tsx';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import type { ChangeEvent } from '../../shared/api/station-api.ts';
import { useApiQuery } from '../api/api-context.tsx';
import { useLiveUpdates } from '../api/use-live-updates.ts';
import type { LiveState } from '../api/use-live-updates.ts';
import { Loading } from '../components/status-message.tsx';
import { plural } from '../format/format.ts';
import { AuditScreen } from '../screens/audit/audit-screen.tsx';
import { ConflictDetailScreen } from '../screens/conflicts/conflict-detail.tsx';
import { ConflictListScreen } from '../screens/conflicts/conflict-list.tsx';
import { QuarantineScreen } from '../screens/quarantine/quarantine-screen.tsx';
import { SettingsScreen } from '../screens/settings/settings-screen.tsx';
import { TabletsScreen } from '../screens/tablets/tablets-screen.tsx';
import { TodayScreen } from '../screens/today/today-screen.tsx';
import { WellsScreen } from '../screens/wells/wells-screen.tsx';
import { HelpDialog } from './help-dialog.tsx';
import { hasModifier, isTypingTarget } from './keyboard.ts';
import type { Route, RouteName } from './router.ts';
import { hrefOf } from './router.ts';
import { useSession } from './session-context.tsx';
import { StationFormatProvider, useStationFormat } from './station-format.tsx';
import { useRoute } from './use-route.ts';

// The well page carries the chart library: loaded when first opened.
const WellPage = lazy(() => import('../screens/wells/well-page.tsx'));

interface NavItem {
  name: RouteName;
  label: string;
  route: Route;
  also?: RouteName;
}

const NAV: readonly NavItem[] = [
  { name: 'today', label: 'Today', route: { name: 'today' } },
  { name: 'conflicts', label: 'Conflicts', route: { name: 'conflicts', filters: { open: true } }, also: 'conflict' },
  { name: 'wells', label: 'Wells', route: { name: 'wells' }, also: 'well' },
  { name: 'tablets', label: 'Tablets', route: { name: 'tablets' } },
  { name: 'audit', label: 'Audit log', route: { name: 'audit' } },
  { name: 'quarantine', label: 'Rejected input', route: { name: 'quarantine' } },
  { name: 'settings', label: 'Settings', route: { name: 'settings' } },
];

const TITLES: Readonly<Record<RouteName, string>> = {
  today: 'Today',
  conflicts: 'Conflicts',
  conflict: 'Conflict',
  wells: 'Wells',
  well: 'Well',
  tablets: 'Tablets',
  audit: 'Audit log',
  quarantine: 'Rejected input',
  settings: 'Settings',
  'not-found': 'Not found',
};

function Screen({ route }: { route: Route }) {
  switch (route.name) {
    case 'today':
      return <TodayScreen />;
    case 'conflicts':
      return <ConflictListScreen filters={route.filters} />;
    case 'conflict':
      return <ConflictDetailScreen key={route.conflictId} conflictId={route.conflictId} filters={route.filters} />;
    case 'wells':
      return <WellsScreen />;
    case 'well':
      return (
        <Suspense fallback={<Loading what="the well" />}>
          <WellPage wellId={route.wellId} days={route.days} />
        </Suspense>
      );
    case 'tablets':
      return <TabletsScreen />;
    case 'audit':
      return <AuditScreen />;
    case 'quarantine':
      return <QuarantineScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'not-found':
      return (
        <>
          <h1>Page not found</h1>
          <p>
            There is nothing at “{route.path}”. <a href="#/today">Go to Today</a>.
          </p>
        </>
      );
  }
}

function liveMessage(event: ChangeEvent | null, names: ReadonlyMap<string, string>, time: (iso: string) => string): string {
  if (event === null) return '';
  switch (event.kind) {
    case 'synced': {
      const total = Object.values(event.summary).reduce((a, b) => a + b, 0);
      return `${time(event.at)}: ${names.get(event.deviceId) ?? event.deviceId} docked, ${plural(total, 'event')}`;
    }
    case 'decided':
      return `${time(event.at)}: a conflict was decided`;
    case 'settings':
      return `${time(event.at)}: settings changed`;
    case 'devices':
      return `${time(event.at)}: tablets changed`;
    case 'relay':
      return '';
  }
}

function LiveIndicator({ live, names }: { live: LiveState; names: ReadonlyMap<string, string> }) {
  const fmt = useStationFormat();
  const label = live.status === 'live' ? 'Live' : live.status === 'connecting' ? 'Connecting…' : 'Reconnecting…';
  return (
    <div className="live" data-testid="live-status" data-status={live.status}>
      <span className={`live-dot live-${live.status}`} aria-hidden="true" />
      <span>{label}</span>
      <span className="live-last" role="status" aria-live="polite">
        {liveMessage(live.last, names, (iso) => fmt.time(iso))}
      </span>
    </div>
  );
}

export function Shell() {
  const route = useRoute();
  const live = useLiveUpdates();
  const { session, signOut } = useSession();
  const overview = useApiQuery('getOverview', {});
  const [helpOpen, setHelpOpen] = useState(false);
  const mainRef = useRef<HTMLElement>(null);

  useEffect(() => {
    document.title = `${TITLES[route.name]} — WellOS Field Station`;
  }, [route.name]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === '?' && !isTypingTarget(event.target) && !hasModifier(event)) {
        event.preventDefault();
        setHelpOpen(true);
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  const names = new Map((overview.data?.devices ?? []).map((d) => [d.deviceId, d.deviceName]));
  const pending = overview.data?.pendingReview ?? 0;
  const active = (item: NavItem): boolean => route.name === item.name || route.name === item.also;

  return (
    <StationFormatProvider timeZone={overview.data?.timeZone ?? 'UTC'}>
      <div className="layout">
        <button type="button" className="skip-link" onClick={() => mainRef.current?.focus()}>
          Skip to content
        </button>
        <header className="topbar">
          <div className="brand-block">
            <span className="brand">WellOS Field Station</span>
            {overview.data === undefined ? null : (
              <span className="muted small">
                {overview.data.stationId} · times in {overview.data.timeZone}
              </span>
            )}
          </div>
          <LiveIndicator live={live} names={names} />
          <div className="who">
            <span data-testid="signed-in-as">
              {session.username} <span className="muted">({session.role})</span>
            </span>
            <button type="button" className="link-button" onClick={() => setHelpOpen(true)} aria-keyshortcuts="?">
              Keyboard help
            </button>
            {signOut === null ? null : (
              <button type="button" onClick={signOut} data-testid="sign-out">
                Sign out
              </button>
            )}
          </div>
        </header>
        <nav className="sidenav" aria-label="Main">
          <ul>
            {NAV.map((item) => (
              <li key={item.name}>
                <a href={hrefOf(item.route)} aria-current={active(item) ? 'page' : undefined} data-testid={`nav-${item.name}`}>
                  <span>{item.label}</span>
                  {item.name === 'conflicts' && pending > 0 ? (
                    <span className="nav-badge" aria-label={`${pending} need your decision`} data-testid="nav-pending-count">
                      {pending}
                    </span>
                  ) : null}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={mainRef} tabIndex={-1} className="content">
          <DecisionNotice />
          <Screen route={route} />
        </main>
        <HelpDialog open={helpOpen} onClose={() => setHelpOpen(false)} />
      </div>
    </StationFormatProvider>
  );
}
