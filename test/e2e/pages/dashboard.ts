/** Every page object of the dashboard for one page and station, as `app.today`, `app.conflicts`, … */
import type { Page } from '@playwright/test';
import { FirstRunPage, LoginPage } from './auth-pages.ts';
import { AuditPage, QuarantinePage } from './audit-page.ts';
import { ConflictDetailPage } from './conflict-detail-page.ts';
import { ConflictsPage } from './conflicts-page.ts';
import { SettingsPage } from './settings-page.ts';
import { Shell } from './shell.ts';
import { TabletsPage } from './tablets-page.ts';
import { TodayPage } from './today-page.ts';
import { WellPage, WellsPage } from './wells-page.ts';

export class Dashboard {
  readonly login: LoginPage;
  readonly firstRun: FirstRunPage;
  readonly shell: Shell;
  readonly today: TodayPage;
  readonly conflicts: ConflictsPage;
  readonly conflict: ConflictDetailPage;
  readonly wells: WellsPage;
  readonly well: WellPage;
  readonly tablets: TabletsPage;
  readonly audit: AuditPage;
  readonly quarantine: QuarantinePage;
  readonly settings: SettingsPage;

  constructor(
    readonly page: Page,
    readonly ui: string,
  ) {
    this.login = new LoginPage(page);
    this.firstRun = new FirstRunPage(page);
    this.shell = new Shell(page);
    this.today = new TodayPage(page, ui);
    this.conflicts = new ConflictsPage(page, ui);
    this.conflict = new ConflictDetailPage(page, ui);
    this.wells = new WellsPage(page, ui);
    this.well = new WellPage(page, ui);
    this.tablets = new TabletsPage(page, ui);
    this.audit = new AuditPage(page, ui);
    this.quarantine = new QuarantinePage(page, ui);
    this.settings = new SettingsPage(page, ui);
  }

  /** The dashboard's front door: sign-in, first run, or Today when a session exists. */
  async visit(): Promise<void> {
    await this.page.goto(`${this.ui}/`);
  }
}
