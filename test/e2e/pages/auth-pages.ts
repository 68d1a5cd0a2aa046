/** Sign-in and first-run screens (headless shell). */
import { expect, type Locator, type Page } from '@playwright/test';

export class LoginPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly notice: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Sign in' });
    this.username = page.getByTestId('login-username');
    this.password = page.getByTestId('login-password');
    this.submit = page.getByTestId('login-submit');
    this.error = page.getByTestId('login-error');
    this.notice = page.locator('.auth-card .notice');
  }

  async waitFor(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.username).toBeVisible();
  }

  async signIn(username: string, password: string): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.click();
  }

  /** The username box has the focus on arrival: type, Tab, type, Enter. */
  async signInWithKeyboard(username: string, password: string): Promise<void> {
    await expect(this.username).toBeFocused();
    await this.page.keyboard.type(username);
    await this.page.keyboard.press('Tab');
    await expect(this.password).toBeFocused();
    await this.page.keyboard.type(password);
    await this.page.keyboard.press('Enter');
  }
}

export class FirstRunPage {
  readonly heading: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly confirm: Locator;
  readonly submit: Locator;
  readonly error: Locator;
  readonly notLocal: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1, name: 'Create the first supervisor' });
    this.username = page.getByTestId('setup-username');
    this.password = page.getByTestId('setup-password');
    this.confirm = page.getByTestId('setup-password-confirm');
    this.submit = page.getByTestId('setup-submit');
    this.error = page.getByTestId('setup-error');
    this.notLocal = page.getByTestId('setup-not-local');
  }

  async waitFor(): Promise<void> {
    await expect(this.heading).toBeVisible();
  }

  async create(username: string, password: string, confirm = password): Promise<void> {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.confirm.fill(confirm);
    await this.submit.click();
  }
}
