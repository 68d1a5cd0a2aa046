/**
 * Electron shell — placeholder until the station is wired in.
 *
 * Guarantees: one running instance; one window that is context-isolated,
 * sandboxed and without Node integration; every navigation, `window.open`,
 * `<webview>` and permission request from web content is refused.
 *
 * No station logic lives here. A later issue builds the core with
 * `createStation(options)` from `src/main/station/` and registers the IPC
 * handlers; this file stays the thin lifecycle shell.
 */
import { join } from 'node:path';

import { app, BrowserWindow, dialog, session, type WebContents } from 'electron';

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

function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    title: WINDOW_TITLE,
    width: 1280,
    height: 800,
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

  mainWindow = createMainWindow();
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
  await loadRenderer(mainWindow);
}

main().catch((error: unknown) => {
  // No logger exists yet (it arrives with the station); a dialog is the one
  // channel a desktop user sees. `showErrorBox` is safe before `ready`.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  dialog.showErrorBox(`${WINDOW_TITLE} could not start`, message);
  app.exit(1);
});
