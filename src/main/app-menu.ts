/** The application menu: the usual roles, so copy/paste, zoom and quit work as on any desktop app. */
import { Menu, type MenuItemConstructorOptions } from 'electron';

export function installAppMenu(openQueue: () => void): void {
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { label: 'Station', submenu: [{ label: 'Conflict queue', accelerator: 'CmdOrCtrl+Shift+C', click: openQueue }] },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
