// Drives the VS Code workbench in Chromium the way a user does: keyboard shortcuts, the command
// palette, the editor, widgets and views, with a screenshot after each step of a flow.
import { strict as assert } from 'node:assert';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { chromiumPath, resultsRoot } from './paths';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS, headless: true });
}

function exactly(text: string): RegExp {
  return new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
}

export class Workbench {
  private step = 0;

  private constructor(
    readonly page: Page,
    private readonly shotDir: string,
  ) {}

  /** Opens code-server's page and waits for the workbench; screenshots go to test-results/e2e/<flow>/. */
  static async open(browser: Browser, url: string, flow: string): Promise<Workbench> {
    const shotDir = join(resultsRoot, flow);
    await rm(shotDir, { recursive: true, force: true });
    await mkdir(shotDir, { recursive: true });
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.setDefaultTimeout(30_000);
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor();
    await page.locator('.explorer-folders-view, .explorer-viewlet').first().waitFor();
    // The extension's view container appears once the extension host has read the installed
    // extensions: before that the palette lacks its commands (and the theme is not applied yet).
    await page.locator('.activitybar .action-item a[aria-label^="Flux"]').waitFor({ timeout: 90_000 });
    return new Workbench(page, shotDir);
  }

  /** Saves a numbered screenshot of the whole window; returns its path. */
  async shot(name: string): Promise<string> {
    this.step += 1;
    const file = join(this.shotDir, `${String(this.step).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  /** The screenshot taken after each test, named after it (the state a failure left, too). */
  async shotAfter(testName: string): Promise<string> {
    return this.shot(`end-${testName.slice(0, 40).replace(/\W+/g, '-')}`);
  }

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** Rows of the open quick pick (command palette, quick open, an extension's quick pick). */
  get quickPickRows(): Locator {
    return this.quickInput.locator('.quick-input-list .monaco-list-row');
  }

  /** Runs a command from the command palette by its full title ("Flux: Show Output"). */
  async command(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`>${title}`);
    await this.quickPickRows.filter({ has: this.page.locator('.label-name', { hasText: exactly(title) }) }).first().click();
  }

  /** Picks the row of an open quick pick whose text contains `text`. */
  async pick(text: string): Promise<void> {
    const row = this.quickPickRows.filter({ hasText: text }).first();
    await row.waitFor();
    await row.click();
  }

  /** Opens a workspace file by its relative path through Quick Open, and waits for its editor. */
  async openFile(relativePath: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(relativePath);
    const name = relativePath.split('/').pop() ?? relativePath;
    await this.quickPickRows.first().filter({ hasText: name }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.page.locator(`.tab.active[data-resource-name="${name}"]`).waitFor();
    await this.editor.locator('.view-line').first().waitFor();
  }

  /** The active text editor. */
  get editor(): Locator {
    return this.page.locator('.editor-group-container.active .monaco-editor').first();
  }

  /** Moves the cursor with Go to Line/Column (1-based). */
  async goTo(line: number, column = 1): Promise<void> {
    await this.editor.click({ position: { x: 200, y: 10 } });
    await this.page.keyboard.press('Control+G');
    const input = this.quickInput.locator('input');
    await input.waitFor();
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.quickInput.waitFor({ state: 'hidden' });
  }

  /** Types into the focused editor, key by key, as a user does. */
  async type(text: string): Promise<void> {
    await this.page.keyboard.type(text, { delay: 15 });
  }

  /** The suggest widget, if open. */
  get suggestWidget(): Locator {
    return this.page.locator('.editor-widget.suggest-widget.visible');
  }

  /**
   * Opens completion at the cursor with Ctrl+Space (closing any widget that typing opened) until it
   * offers `expected` (the server may still be indexing); returns every label it offers. The list is
   * virtual (only visible rows exist), so it is paged through.
   */
  async suggest(expected: string, timeoutMs = 60_000): Promise<string[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await this.page.keyboard.press('Escape');
      await this.suggestWidget.waitFor({ state: 'hidden' });
      await this.page.keyboard.press('Control+Space');
      await this.suggestRows.first().waitFor({ timeout: Math.max(1, deadline - Date.now()) });
      const labels = await this.collectSuggestions();
      if (labels.includes(expected)) return labels;
      if (Date.now() > deadline) throw new Error(`completion did not offer ${expected}; it offered: ${labels.join(', ')}`);
      await this.page.waitForTimeout(500);
    }
  }

  private get suggestRows(): Locator {
    return this.suggestWidget.locator('.monaco-list-row');
  }

  private suggestRow(label: string): Locator {
    return this.suggestRows.filter({ has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first();
  }

  private async collectSuggestions(): Promise<string[]> {
    // Rows carry the list's full length; PageDown reaches the widget only while it has more than one
    // suggestion (otherwise it moves the editor's cursor), so page only while rows are missing.
    const total = Number(await this.suggestRows.first().getAttribute('aria-setsize'));
    const seen = new Set<string>();
    let pages = 0;
    for (;;) {
      for (const label of await this.suggestRows.locator('.label-name').allInnerTexts()) seen.add(label);
      if (seen.size >= total || pages > 100) break;
      await this.page.keyboard.press('PageDown');
      await this.page.waitForTimeout(50);
      pages++;
    }
    for (; pages > 0; pages--) await this.page.keyboard.press('PageUp');
    return [...seen];
  }

  /** Accepts the offered completion with this label (paging down to it). */
  async accept(label: string): Promise<void> {
    for (let page = 0; !(await this.suggestRow(label).isVisible()); page++) {
      if (page > 100) throw new Error(`no completion ${label}`);
      await this.page.keyboard.press('PageDown');
      await this.page.waitForTimeout(50);
    }
    await this.suggestRow(label).click();
    await this.suggestWidget.waitFor({ state: 'detached' });
  }

  /** Starts a new line below `line` (1-based), indented as VS Code indents it. */
  async newLineAfter(line: number): Promise<void> {
    await this.goTo(line, 1);
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Enter');
  }

  /** Opens the quick fixes at the cursor (Ctrl+.) and applies the one with this title (after `shown`). */
  async quickFix(title: string, shown?: () => Promise<unknown>): Promise<void> {
    await this.page.keyboard.press('Control+.');
    const widget = this.page.locator('.action-widget');
    await widget.getByText(title, { exact: true }).first().waitFor();
    // The menu sits under a pointer-blocking layer while it opens: choose it with the keyboard.
    const focused = widget.locator('.monaco-list-row.focused');
    for (let moves = 0; !((await focused.innerText().catch(() => '')).includes(title)); moves++) {
      if (moves > 20) throw new Error(`quick fix ${title} cannot be focused`);
      await this.page.keyboard.press('ArrowDown');
    }
    await shown?.();
    await this.page.keyboard.press('Enter');
    await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
  }

  /** Diagnostics shown in the Problems panel (opened with Ctrl+Shift+M), as their row labels. */
  async problems(): Promise<string[]> {
    const panel = this.page.locator('.markers-panel');
    if (!(await panel.isVisible())) await this.command('Problems: Focus on Problems View');
    await panel.waitFor();
    return panel.locator('.monaco-list-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  }

  /** Shows a view container of the activity bar by its title ("Flux"). */
  async showViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-item a[aria-label^="${title}"]`);
    if ((await item.locator('xpath=..').getAttribute('class'))?.includes('checked')) return;
    await item.click();
  }

  /** Drags the side bar's edge so that it is `width` pixels wide (long tree descriptions stay readable). */
  async sideBarWidth(width: number): Promise<void> {
    const box = await this.page.locator('.part.sidebar').boundingBox();
    if (!box) throw new Error('no side bar');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width - 1, y);
    await this.page.mouse.down();
    await this.page.mouse.move(box.x + width, y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** The rows of a tree view, found by the view's title ("Clusters"). */
  treeRows(view: string): Locator {
    return this.page.locator('.pane').filter({ has: this.page.locator('.pane-header', { hasText: view }) }).locator('.monaco-list-row');
  }

  /**
   * Expands a collapsed tree row (a click toggles it) and waits for it to stay open: a refresh of the
   * tree while its parent's children load can render it collapsed again.
   */
  async expand(row: Locator): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt++) {
      await row.waitFor();
      if ((await row.getAttribute('aria-expanded')) === 'false') await row.click();
      await row.and(this.page.locator('[aria-expanded="true"]')).waitFor();
      await this.page.waitForTimeout(500);
      if ((await row.getAttribute('aria-expanded')) === 'true') return;
    }
    throw new Error('the tree row does not stay expanded');
  }

  /** The codicon a tree row shows ("pass-filled", "error", ...). */
  async treeIcon(row: Locator): Promise<string | undefined> {
    const classes = (await row.locator('.custom-view-tree-node-item-icon').getAttribute('class')) ?? '';
    return /\bcodicon-([\w-]+)/.exec(classes)?.[1];
  }

  /**
   * Waits until a tree row shows `expected` as its icon (the tree follows watch events: a controller may
   * pass through an intermediate state first); fails with the last icon seen when `timeoutMs` passes.
   */
  async waitForTreeIcon(row: Locator, expected: string, timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let seen = await this.treeIcon(row);
    while (seen !== expected && Date.now() < deadline) {
      await this.page.waitForTimeout(100);
      seen = await this.treeIcon(row);
    }
    assert.equal(seen, expected, `tree row icon after ${timeoutMs} ms`);
  }

  /** Hovers an element and returns the hover's text once it shows `expected`. */
  async hoverText(target: Locator, expected: string): Promise<string> {
    await target.hover();
    const hover = this.page.locator('.monaco-hover, .workbench-hover').filter({ hasText: expected }).first();
    await hover.waitFor();
    return hover.innerText();
  }

  /** Notifications currently shown as toasts, by their message text. */
  notifications(): Locator {
    return this.page.locator('.notifications-toasts .notification-toast');
  }

  /** Saves the active editor. */
  async save(): Promise<void> {
    await this.page.keyboard.press('Control+S');
    await this.page.locator('.tab.active.dirty').waitFor({ state: 'detached' });
  }
}
