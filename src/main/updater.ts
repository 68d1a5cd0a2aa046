/**
 * Updates from HQ (electron-updater, generic provider at `{hqUrl}/updates/`). Never on a
 * metered or failing link by surprise: a check happens only while the relay reports the
 * link ONLINE within today's byte budget, nothing downloads without the supervisor saying
 * so, and the new version installs only on their word. Packaged builds only.
 */
import { app, dialog } from 'electron';
import electronUpdater from 'electron-updater';
import type { Logger } from 'pino';
import type { Station } from './station/create-station.ts';
import { readRelayConfig } from './station/settings/settings-store.ts';
import { updateGate } from './shell-logic.ts';

const CHECK_EVERY_MS = 6 * 3_600_000;

export function startUpdater(station: Station, logger: Logger): () => void {
  if (!app.isPackaged) return () => {};
  const { autoUpdater } = electronUpdater;
  autoUpdater.autoDownload = false;
  autoUpdater.autoInstallOnAppQuit = false;
  autoUpdater.on('update-available', (info: { version: string }) => {
    void dialog
      .showMessageBox({ type: 'info', buttons: ['Download now', 'Later'], defaultId: 1, message: `Version ${info.version} is available from HQ.`, detail: 'It downloads over the satellite link. Download it now?' })
      .then((answer) => (answer.response === 0 ? autoUpdater.downloadUpdate() : undefined));
  });
  autoUpdater.on('update-downloaded', () => {
    void dialog
      .showMessageBox({ type: 'info', buttons: ['Restart and install', 'Later'], defaultId: 1, message: 'The update is ready.', detail: 'The station restarts; tablets docking meanwhile will retry.' })
      .then((answer) => (answer.response === 0 ? autoUpdater.quitAndInstall() : undefined));
  });
  autoUpdater.on('error', (err: Error) => logger.warn({ err }, 'update check failed'));
  const check = async (): Promise<void> => {
    const settings = await station.api.getSettings({}, { username: 'desktop', role: 'viewer' });
    const link = await station.api.getRelayStatus({}, { username: 'desktop', role: 'viewer' });
    const budget = readRelayConfig(station.db, station.engineSettings().timeZone)?.dailyByteBudget ?? null;
    const gate = updateGate(link, budget);
    if (settings.hqUrl === null || !gate.check) {
      logger.info({ reason: gate.check ? 'no HQ link set up' : gate.reason }, 'update check skipped');
      return;
    }
    autoUpdater.setFeedURL({ provider: 'generic', url: `${settings.hqUrl.replace(/\/$/, '')}/updates/` });
    await autoUpdater.checkForUpdates();
  };
  const timer = setInterval(() => void check().catch((err: unknown) => logger.warn({ err }, 'update check failed')), CHECK_EVERY_MS);
  return () => clearInterval(timer);
}
