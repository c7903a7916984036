/**
 * The portal in a real browser against a real backend on SQLite and a
 * local upload target: the path an analyst takes through every tab.
 * With REBOUND_SCREENSHOTS=1 it also writes a screenshot of each tab to
 * docs/images (`npm run screenshots`).
 */
import { startUploadTarget, type UploadTarget } from '@rebound/upload-target';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import {
  BackendProcess,
  DATA_DIR,
  freePort,
  ROOT,
  tempDir,
  waitFor,
} from './backendProcess';
import { collectPageErrors, launchBrowser, PortalDevServer } from './portal';

jest.setTimeout(600_000);

const CSV = path.join(DATA_DIR, 'seattle-weather.csv');
const SCREENSHOTS =
  process.env.REBOUND_SCREENSHOTS === '1'
    ? path.join(ROOT, 'docs/images')
    : undefined;

describe('the portal in chromium', () => {
  let target: UploadTarget;
  let workDir: string;
  let backend: BackendProcess;
  let portal: PortalDevServer;
  let browser: BrowserContext;
  let page: Page;
  let errors: string[];

  beforeAll(async () => {
    target = await startUploadTarget();
    workDir = await tempDir('portal');
    // The portal's origin is only known once its port is; the backend
    // allows it through CORS.
    const portalPort = await freePort();
    backend = await BackendProcess.create(
      workDir,
      port => ({
        backend: {
          baseUrl: `http://127.0.0.1:${port}`,
          listen: { host: '127.0.0.1', port },
          cors: {
            origin: `http://127.0.0.1:${portalPort}`,
            methods: ['GET', 'HEAD', 'PATCH', 'POST', 'PUT', 'DELETE'],
            credentials: true,
          },
          database: {
            client: 'better-sqlite3',
            connection: { directory: path.join(workDir, 'db') },
          },
        },
        recovery: {
          storage: { dir: path.join(workDir, 'storage') },
          targets: {
            api: {
              type: 'http',
              url: target.url,
              batchSize: 200,
              timeout: { seconds: 5 },
            },
          },
          // The job must stay failed until the test recovers it.
          autoRecovery: { enabled: false },
          workers: { pollInterval: { milliseconds: 200 } },
        },
      }),
      // The guest sign-in works in development mode only.
      { NODE_ENV: 'development' },
    );
    portal = await PortalDevServer.create(
      workDir,
      `http://127.0.0.1:${backend.port}`,
      portalPort,
    );
    await Promise.all([backend.start(), portal.start()]);
    browser = await launchBrowser(
      path.join(workDir, 'profile'),
      path.join(workDir, 'downloads'),
    );
    page = await browser.newPage();
    errors = collectPageErrors(page);
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    await backend?.stop();
    await target?.close();
    if (workDir) {
      await fs.rm(workDir, { recursive: true, force: true });
    }
  });

  afterEach(() => {
    // Any console error or uncaught exception fails the step it happened in.
    expect(errors.splice(0)).toEqual([]);
  });

  async function screenshot(name: string) {
    if (SCREENSHOTS) {
      await fs.mkdir(SCREENSHOTS, { recursive: true });
      await page.screenshot({
        path: path.join(SCREENSHOTS, `${name}.png`),
        fullPage: false,
      });
    }
  }

  it('uploads a CSV that fails on 503s, then recovers it from the table', async () => {
    const text = await fs.readFile(CSV, 'utf8');
    const rowCount = text.trim().split('\n').length - 1;
    target.addFault({ mode: 'status', status: 503, count: 1000 });

    await page.goto(`${portal.url}/recovery/jobs`);
    await page.getByRole('button', { name: 'Upload CSV' }).click();
    const upload = page.getByRole('dialog', { name: 'Upload a CSV file' });
    await upload.getByLabel('CSV file').setInputFiles(CSV);
    // The form reads the header before anything is sent.
    await upload
      .getByText(
        '6 columns in the first line: date, precipitation, temp_max, temp_min, wind, weather.',
      )
      .waitFor();
    await upload.getByLabel('Job type').click();
    await page.getByRole('option', { name: /api upload/i }).click();
    await upload.getByLabel('Target').click();
    await page.getByRole('option', { name: /^api/ }).click();
    await upload.getByLabel('Batch size').fill('250');
    await upload.getByRole('button', { name: 'Upload', exact: true }).click();

    const job = await waitFor('the uploaded job to fail', async () => {
      const { items } = await backend.client.listJobs({ status: 'failed' });
      return items.find(j => j.fileName === 'seattle-weather.csv');
    });
    expect(job.failure?.type).toBe('temporary_resource');

    await page.goto(`${portal.url}/recovery/jobs`);
    const row = page.getByRole('row', { name: /seattle-weather\.csv/ });
    await row.waitFor();
    await expect(row.textContent()).resolves.toMatch(/high/);
    await screenshot('jobs');

    target.clearFaults();
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'Recover selected' }).click();
    const dialog = page.getByRole('dialog', { name: 'Recover jobs' });
    await dialog.getByRole('button', { name: 'Recover' }).click();
    await dialog.getByText(/1 successful/i).waitFor();
    await dialog
      .getByText(job.id.slice(0, 8), { exact: false })
      .first()
      .waitFor();
    await dialog.getByRole('button', { name: /close/i }).click();

    await page.goto(`${portal.url}/recovery/jobs/${job.id}`);
    await page.getByText('succeeded').first().waitFor({ timeout: 60_000 });
    await page.getByText(/Recovery history/i).waitFor();
    await screenshot('job');
    const done = await backend.client.getJob(job.id);
    expect(done.status).toBe('succeeded');
    expect(done.progress.rowsAccepted).toBe(rowCount);
    expect(target.stats().jobs[job.id].duplicateRows).toBe(0);
    expect(target.records(job.id)).toHaveLength(rowCount);
  });

  it('leaves a failure of no known type to a person, who recovers it from its page', async () => {
    const text = (await fs.readFile(CSV, 'utf8')).split('\n');
    const csv = `${text.slice(0, 101).join('\n')}\n`;
    target.addFault({ mode: 'status', status: 418, count: 1000 });
    const created = await backend.client.createJob(
      new Blob([csv], { type: 'text/csv' }),
      'teapot.csv',
      { type: 'api_upload', target: 'api', batchSize: 50 },
    );
    const job = await waitFor('the job to fail', async () => {
      const found = await backend.client.getJob(created.id);
      return found.status === 'failed' ? found : undefined;
    });
    expect(job.failure?.type).toBe('unknown');

    // The list shows what a batch recovery would do: nothing, for now.
    await page.goto(`${portal.url}/recovery/jobs`);
    const row = page.getByRole('row', { name: /teapot\.csv/ });
    await row.getByText('investigation required').waitFor();

    target.clearFaults();
    await row.getByRole('link', { name: 'teapot.csv' }).click();
    const recover = page.getByRole('button', { name: 'Recover', exact: true });
    await page
      .getByText(/Recovering it by hand retries it/)
      .first()
      .waitFor();
    await recover.click();
    await page.getByText(/^Recovery scheduled/).waitFor();
    // The page follows the job to its end without a reload.
    await page
      .getByRole('heading', { name: 'teapot.csv' })
      .locator('..')
      .getByText('succeeded')
      .waitFor({ timeout: 60_000 });
    const done = await backend.client.getJob(created.id);
    expect(done.progress.rowsAccepted).toBe(100);
    expect(target.stats().jobs[created.id].duplicateRows).toBe(0);
  });

  it('creates an export and downloads it with the SHA-256 it shows', async () => {
    await page.goto(`${portal.url}/recovery/exports`);
    await page.getByLabel('Dataset').selectOption('jobs');
    await page.getByLabel('Format').selectOption('csv');
    await page.getByRole('button', { name: 'Create export' }).click();

    const record = await waitFor('the export to succeed', async () => {
      const { items } = await backend.client.listExports();
      return items.find(e => e.status === 'succeeded');
    });
    const row = page.getByRole('row', {
      name: new RegExp(record.sha256!.slice(0, 8)),
    });
    await row.waitFor();
    await screenshot('exports');
    // The list fits the window: Download is in view without scrolling
    // sideways, and at 1400 px nothing of the list is cut off.
    const exportsTable = page.getByRole('table', { name: 'Exports' });
    for (const width of [1400, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      const box = await row
        .getByRole('button', { name: 'Download' })
        .boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
    }
    await page.setViewportSize({ width: 1400, height: 900 });
    await expect(
      exportsTable.evaluate(
        table =>
          table.parentElement!.scrollWidth - table.parentElement!.clientWidth,
      ),
    ).resolves.toBeLessThanOrEqual(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Download' }).click(),
    ]);
    const bytes = await fs.readFile((await download.path())!);
    expect(download.suggestedFilename()).toBe(record.fileName);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(
      record.sha256,
    );
    expect(bytes.toString('utf8')).toContain('seattle-weather.csv');
  });

  it('previews a schedule with its next runs and creates it', async () => {
    await page.goto(`${portal.url}/recovery/schedules`);
    await page.getByRole('button', { name: 'New schedule' }).click();
    const form = page.getByRole('dialog', { name: 'New schedule' });
    await form.getByLabel('Name').fill('Weekly failed jobs');
    await form.getByLabel('Cron expression').fill('30 2 * * 0');
    await form.getByLabel('Time zone').fill('Europe/Rome');
    await page.getByRole('option', { name: /Europe\/Rome/ }).click();
    // The preview is the backend's: the same runs as the API computes.
    const preview = await backend.client.previewSchedule({
      cron: '30 2 * * 0',
      timezone: 'Europe/Rome',
    });
    await form.getByText(preview.description, { exact: false }).waitFor();
    const runs = form.getByRole('list', { name: 'Next runs' });
    for (const run of preview.runs) {
      await runs
        .getByText(`${run.at.slice(0, 10)} ${run.at.slice(11, 16)} UTC`)
        .waitFor();
    }
    await expect(runs.getByRole('listitem').count()).resolves.toBe(
      preview.runs.length,
    );
    await screenshot('schedules');
    await form.getByRole('button', { name: 'Create schedule' }).click();
    const row = page.getByRole('row', { name: /Weekly failed jobs/ });
    await row.waitFor();
    const { items } = await backend.client.listSchedules();
    expect(items.map(s => [s.name, s.cron, s.timezone])).toEqual([
      ['Weekly failed jobs', '30 2 * * 0', 'Europe/Rome'],
    ]);
    // The list fits its card: its last action is in view without
    // scrolling sideways, and nothing of the table is cut off, at 1400 px
    // and at 1024 px.
    const schedulesTable = row.locator('xpath=ancestor::table');
    for (const width of [1400, 1024]) {
      await page.setViewportSize({ width, height: 900 });
      const box = await row
        .getByRole('button', { name: 'Delete' })
        .boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      await expect(schedulesTable.evaluate(widerThanCard)).resolves.toEqual({
        width,
        beyondCard: 0,
        scrolled: 0,
      });
    }
    await page.setViewportSize({ width: 1400, height: 900 });
  });

  it('shows the analytics with a chart of the recovery', async () => {
    await page.goto(`${portal.url}/recovery/analytics`);
    const chart = page.getByRole('img', {
      name: 'Success rate by failure type',
    });
    await chart.waitFor();
    await expect(chart.locator('rect').count()).resolves.toBeGreaterThan(0);
    await expect(
      page
        .getByRole('img', { name: 'Failures and recoveries over time' })
        .count(),
    ).resolves.toBe(1);
    // The picture shows the charts, below the summary figures.
    await chart.evaluate(e => e.scrollIntoView({ block: 'center' }));
    await screenshot('analytics');
  });

  it('switches to the dark theme and keeps the charts readable', async () => {
    await page.goto(`${portal.url}/recovery/analytics`);
    const chart = page.getByRole('img', {
      name: 'Success rate by failure type',
    });
    await chart.waitFor();
    const light = await chart
      .locator('text')
      .first()
      .evaluate(e => getComputedStyle(e).fill);
    await page.getByText('Dark theme').click();
    await page.getByText('Light theme').waitFor();
    const background = await page.evaluate(
      () => getComputedStyle(document.body).backgroundColor,
    );
    const dark = await chart
      .locator('text')
      .first()
      .evaluate(e => getComputedStyle(e).fill);
    // A dark page, and chart labels that changed colour with it.
    expect(brightness(background)).toBeLessThan(80);
    expect(dark).not.toBe(light);
    expect(brightness(dark)).toBeGreaterThan(brightness(background));
    await chart.evaluate(e => e.scrollIntoView({ block: 'center' }));
    await screenshot('analytics-dark');
    await page.getByText('Light theme').click();
  });

  it('says when the backend does not answer, and opens once it is back', async () => {
    await backend.stop();
    await page.goto(`${portal.url}/recovery/jobs`);
    await page
      .getByText(
        `Rebound's backend at http://127.0.0.1:${backend.port} does not answer`,
      )
      .waitFor();
    expectOnlyFailedLoads();

    await backend.start();
    // The page asks every 5 s and reloads by itself once it answers.
    await page
      .getByRole('button', { name: 'Upload CSV' })
      .waitFor({ timeout: 30_000 });
    expectOnlyFailedLoads();
  });

  /**
   * Chromium logs each request the stopped backend refused or broke off
   * as a console error, under one network code or another with timing;
   * those failed loads, and only those, are what a step with the backend
   * down expects.
   */
  function expectOnlyFailedLoads() {
    const failedLoad =
      /^console\.error: Failed to load resource: net::ERR_[A-Z_]+$/;
    expect(errors.splice(0).filter(error => !failedLoad.test(error))).toEqual(
      [],
    );
  }
});

/**
 * How far a table reaches past the right edge of its card (the nearest
 * box that holds the table's title too), and how far any box between
 * them scrolls sideways; runs in the page.
 */
function widerThanCard(table: Element) {
  let card = table.parentElement!;
  while (!card.querySelector('h2') && card.parentElement) {
    card = card.parentElement;
  }
  let scrolled = 0;
  for (let box = table.parentElement; box && box !== card.parentElement; ) {
    scrolled = Math.max(scrolled, box.scrollWidth - box.clientWidth);
    box = box.parentElement;
  }
  const beyond =
    table.getBoundingClientRect().right - card.getBoundingClientRect().right;
  return {
    width: window.innerWidth,
    beyondCard: Math.max(0, Math.round(beyond)),
    scrolled,
  };
}

/** Mean of the RGB channels of a CSS colour such as rgb(18, 18, 18). */
function brightness(color: string): number {
  const [r, g, b] = (color.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (r + g + b) / 3;
}
