/**
 * The station's presence on the desktop: a tray icon whose tooltip says how many
 * conflicts wait and how the HQ link is, and a native notification when new conflicts
 * need review (clicking it opens the queue).
 */
import { Menu, Notification, Tray, nativeImage } from 'electron';
import type { Station } from './station/create-station.ts';
import { newlyPending, trayTooltip } from './shell-logic.ts';

const REFRESH_MS = 15_000;

export function showPresence(station: Station, iconPath: string, openQueue: () => void): () => void {
  const tray = new Tray(nativeImage.createFromPath(iconPath).resize({ width: 16, height: 16 }));
  tray.setContextMenu(Menu.buildFromTemplate([{ label: 'Open the conflict queue', click: openQueue }, { type: 'separator' }, { role: 'quit' }]));
  tray.on('click', openQueue);
  let told = 0;
  const refresh = async (): Promise<void> => {
    const overview = await station.api.getOverview({}, { username: 'desktop', role: 'viewer' });
    tray.setToolTip(trayTooltip(overview.pendingReview, overview.link.state));
    const fresh = newlyPending(told, overview.pendingReview);
    told = overview.pendingReview;
    if (fresh > 0 && Notification.isSupported()) {
      const note = new Notification({ title: 'Conflicts need your decision', body: `${fresh} new conflict${fresh === 1 ? '' : 's'} from the tablets that just docked.` });
      note.on('click', openQueue);
      note.show();
    }
  };
  const timer = setInterval(() => void refresh(), REFRESH_MS);
  const unsubscribe = station.bus.subscribe(() => void refresh());
  void refresh();
  return () => {
    clearInterval(timer);
    unsubscribe();
    tray.destroy();
  };
}
