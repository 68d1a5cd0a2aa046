/** The signed-in frame around every screen: navigation, live state, who is signed in, help. */
import { expect, type Locator, type Page } from '@playwright/test';

export const SCREENS = ['today', 'conflicts', 'wells', 'tablets', 'audit', 'quarantine', 'settings'] as const;
export type ScreenName = (typeof SCREENS)[number];

export class Shell {
  readonly pendingCount: Locator;
  readonly liveStatus: Locator;
  readonly signedInAs: Locator;
  readonly signOutButton: Locator;
  readonly helpDialog: Locator;
  readonly heading: Locator;
  readonly main: Locator;

  constructor(readonly page: Page) {
    this.pendingCount = page.getByTestId('nav-pending-count');
    this.liveStatus = page.getByTestId('live-status');
    this.signedInAs = page.getByTestId('signed-in-as');
    this.signOutButton = page.getByTestId('sign-out');
    this.helpDialog = page.getByTestId('help-dialog');
    this.heading = page.locator('main h1').first();
    this.main = page.locator('main#main');
  }

  nav(screen: ScreenName): Locator {
    return this.page.getByTestId(`nav-${screen}`);
  }

  /** Goes to a screen through the side navigation and waits until it is the current page. */
  async goTo(screen: ScreenName): Promise<void> {
    await this.nav(screen).click();
    await expect(this.nav(screen)).toHaveAttribute('aria-current', 'page');
  }

  async expectSignedInAs(username: string, role: 'supervisor' | 'viewer'): Promise<void> {
    await expect(this.signedInAs).toContainText(username);
    await expect(this.signedInAs).toContainText(`(${role})`);
  }

  /** The live change feed is connected: a dock from now on shows without reload. */
  async expectLive(): Promise<void> {
    await expect(this.liveStatus).toHaveAttribute('data-status', 'live');
  }

  /** The "need your decision" badge on Conflicts (absent when nothing is pending). */
  async expectPending(count: number): Promise<void> {
    if (count === 0) await expect(this.pendingCount).toHaveCount(0);
    else await expect(this.pendingCount).toHaveText(String(count));
  }

  async signOut(): Promise<void> {
    await this.signOutButton.click();
  }
}
