/**
 * Electron shell: the thin lifecycle around the station core.
 *
 * Guarantees: one running instance; one window that is context-isolated,
 * sandboxed and without Node integration; every navigation, `window.open`,
 * `<webview>` and permission request from web content is refused. The station
 * core (`createStation`) runs in this main process with its data under
 * userData; the dashboard talks to it only over the IPC channels of
 * StationApi, and only from this window. Quitting drains the listeners and
 * closes the database before the process exits.
 */
import { userInfo } from 'node:os';
import { join } from 'node:path';

import { app, BrowserWindow, dialog, ipcMain, session, type WebContents } from 'electron';
import { IPC_CHANGE_CHANNEL } from '../shared/api/api-methods.ts';
import { ownWindowCheck, registerStationApi } from './ipc/register-station-api.ts';
import { createStation, type Station } from './station/create-station.ts';
import { installAppMenu } from './app-menu.ts';
import { desktopLogger } from './desktop-log.ts';
import { showPresence } from './desktop-presence.ts';
import { startUpdater } from './updater.ts';
import { loadBounds, rememberBounds } from './window-state.ts';

const WINDOW_TITLE = 'WellOS Field Station';

function hardenWebContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => {
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

function refuseAllPermissions(): void {
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.defaultSession.setPermissionCheckHandler(() => false);
}

function createMainWindow(userData: string): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    ...loadBounds(userData),
    show: false,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  window.once('ready-to-show', () => {
    window.show();
  });
  return window;
}

async function loadRenderer(window: BrowserWindow): Promise<void> {
  // `electron-vite dev` serves the renderer and sets this; a built app loads the file.
  const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
  if (!app.isPackaged && devServerUrl !== undefined) {
    await window.loadURL(devServerUrl);
    return;
  }
  await window.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

async function main(): Promise<void> {
  // For tests and side-by-side stations: another data folder and LAN port.
  const userDataOverride = process.env['WELLOS_USER_DATA'];
  if (userDataOverride !== undefined) app.setPath('userData', userDataOverride);
  const lanPort = Number(process.env['WELLOS_LAN_PORT'] ?? 7420);
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }

  let mainWindow: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents);
  });
  app.on('window-all-closed', () => {
    app.quit();
  });

  await app.whenReady();
  refuseAllPermissions();

  const userData = app.getPath('userData');
  const logger = desktopLogger();
  const station: Station = createStation({ dataDir: join(userData, 'station'), logger, lanPort, uiPort: 0 });
  await station.start();
  const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
  const trusted = ownWindowCheck(() => mainWindow?.webContents.id ?? null, devServerUrl === undefined || app.isPackaged ? ['file://'] : ['file://', devServerUrl]);
  registerStationApi(ipcMain, station.api, trusted, { username: userInfo().username, role: 'supervisor' });
  station.bus.subscribe((change) => mainWindow?.webContents.send(IPC_CHANGE_CHANNEL, change));

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    event.preventDefault();
    quitting = true;
    station.stop().then(
      () => app.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'unclean stop');
        app.exit(1);
      },
    );
  });

  const openQueue = (): void => {
    if (mainWindow === null) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
    void mainWindow.loadFile(join(import.meta.dirname, '../renderer/index.html'), { hash: '/conflicts' });
  };
  installAppMenu(openQueue);
  showPresence(station, join(app.getAppPath(), 'resources', 'icon.png'), openQueue);
  startUpdater(station, logger);

  mainWindow = createMainWindow(userData);
  rememberBounds(mainWindow, userData);
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await loadRenderer(mainWindow);
}

main().catch((error: unknown) => {
  // Before the window exists a dialog is the one channel a desktop user sees.
  // `showErrorBox` is safe before `ready`.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  dialog.showErrorBox(`${WINDOW_TITLE} could not start`, message);
  app.exit(1);
});
