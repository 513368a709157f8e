// The dashboard in a real browser (Debian's Chromium driven by playwright-core)
// against the API on a real database: a reviewer enters a key, reads the
// ranking, confirms and rejects violations from the keyboard in the review
// queue and sees the intersection's figures follow; a viewer cannot review,
// not even with a client that pretends otherwise (the API refuses with 403).
//
// Needs /usr/bin/chromium (`apt-get install chromium`). Without it the test is
// skipped loudly, or fails when CROSSWATCH_REQUIRE_BROWSER=1 (as .ci/run sets).
import t, { type Test } from 'tap';
import { existsSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { chromium, type Browser, type Page } from 'playwright-core';
import { complianceRate, type ComplianceRate } from '../../../pipelines/stats/rates.ts';
import { currentMonth } from '../../../services/api/figures.ts';
import { rank } from '../../../services/api/rating.ts';
import { addSite, addWindow, apiFixture } from '../api/helpers.ts';

const CHROMIUM = '/usr/bin/chromium';

/** The little of the DOM the page functions below use (the project's TypeScript has no DOM lib). */
interface Dom {
  document: {
    activeElement: { id: string } | null;
    getElementById(id: string): { src: string; complete: boolean; naturalWidth: number } | null;
  };
}

/** Seeded per intersection: exposures and violations of one red_light window. */
const SEED = { 'BT-A': { exposures: 100, violations: 3 }, 'BT-B': { exposures: 50, violations: 1 } } as const;
type Code = keyof typeof SEED;
const WINDOW_SECONDS = 600;
/** Evidence image n is 320+8n pixels wide, so the test can tell which one is shown. */
const imageWidth = (n: number) => 320 + 8 * n;

// The dashboard's own formatting (services/dashboard/public/js/i18n.js, English).
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmtRate = (r: ComplianceRate) => `${pct(r.rate!)} [${pct(r.interval!.low)}–${pct(r.interval!.high)}] n=${r.exposures}`;

if (!existsSync(CHROMIUM)) {
  const msg = `${CHROMIUM} is missing, so the dashboard browser test did NOT run: install it with \`apt-get install chromium\``;
  if (process.env['CROSSWATCH_REQUIRE_BROWSER'] === '1') t.fail(`${msg} (CROSSWATCH_REQUIRE_BROWSER=1 requires it)`);
  else {
    console.error(`\n*** ${msg} ***\n`);
    t.test('the dashboard in a browser', { skip: msg }, () => {});
  }
} else {
  await browserTest();
}

async function browserTest(): Promise<void> {
  const f = await apiFixture(t);
  const rules = { minExposures: f.config.ratingMinExposures, flagCount: f.config.flagCount };

  // Two intersections, one window each in this month (site-local), every violation with an evidence image.
  const [y, m] = currentMonth(f.config.defaultTimeZone).split('-').map(Number) as [number, number];
  const start = Math.max(Date.now() - 40 * 60_000, Date.UTC(y, m - 1, 1)); // 1st 00:00 UTC is 08:00 in Shanghai
  let images = 0;
  const evidence = () => {
    const n = images++;
    return `e${n}.jpg`;
  };
  const ids = {} as Record<Code, string[]>;
  for (const [i, code] of (['BT-A', 'BT-B'] as const).entries()) {
    const site = await addSite(f.db, code, { unit: `Brigade ${i + 1}` });
    const s = SEED[code];
    const w = await addWindow(f.db, site.cameraId, new Date(start + i * 15 * 60_000).toISOString(), { red_light: [s.exposures, s.violations] }, {
      minutes: WINDOW_SECONDS / 60,
      evidence,
    });
    ids[code] = w.violationIds;
  }
  for (let n = 0; n < images; n++) {
    await sharp({ create: { width: imageWidth(n), height: 180, channels: 3, background: { r: 40 * n, g: 90, b: 160 } } })
      .jpeg()
      .toFile(path.join(f.config.evidenceDir, `e${n}.jpg`));
  }
  const [a0, a1, a2] = ids['BT-A'] as [string, string, string];
  const [b0] = ids['BT-B'] as [string];

  /** What the API should show once `rejected` violations of each intersection are rejected (pending and confirmed count). */
  const standings = (rejected: Partial<Record<Code, number>>) => {
    const entries = (Object.keys(SEED) as Code[]).map((code) => ({
      key: code,
      item: code,
      rate: complianceRate(SEED[code].exposures, SEED[code].violations - (rejected[code] ?? 0), WINDOW_SECONDS),
    }));
    return new Map(rank(entries, rules).map((r) => [r.item, r]));
  };

  await f.app.listen({ host: '127.0.0.1', port: 0 });
  const address = f.app.server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;

  const browser: Browser = await chromium.launch({
    executablePath: CHROMIUM,
    // --no-sandbox: Chromium's sandbox refuses to run as root (CI containers).
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking'],
    timeout: 30_000,
  });
  t.teardown(() => browser.close());
  const pageErrors: string[] = [];
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(err.message));
    return page;
  };

  /** Opens the dashboard, switches it to English and enters the key in the key form, as a person would. */
  async function login(page: Page, key: string, role: string): Promise<void> {
    await page.goto(`${base}/`);
    await page.locator('#key').waitFor();
    await page.click('#lang');
    await page.locator('form.login h1', { hasText: 'Enter your API key' }).waitFor();
    await page.fill('#key', key);
    await page.press('#key', 'Enter');
    await page.locator('#who', { hasText: `${role}-key · ${role}` }).waitFor();
  }

  /** The ranking table's rows as cell texts, by intersection code (read from the row's link). */
  async function ranking(page: Page): Promise<Map<string, string[]>> {
    await page.locator('#ranking tbody tr').nth(1).waitFor();
    const rows = new Map<string, string[]>();
    for (const row of await page.locator('#ranking tbody tr').all()) {
      const href = (await row.locator('a').getAttribute('href')) ?? '';
      rows.set(decodeURIComponent(href.replace('#/i/', '')), await row.locator('td').allTextContents());
    }
    return rows;
  }

  function checkRanking(t: Test, rows: Map<string, string[]>, expected: ReturnType<typeof standings>): void {
    t.same([...rows.keys()], [...expected.values()].sort((p, q) => p.rank! - q.rank!).map((r) => r.item), 'ranked best first');
    for (const [code, r] of expected) {
      const cells = rows.get(code)!;
      t.equal(cells[0], String(r.rank), `${code} rank`);
      t.equal(cells[1], `Junction ${code}`);
      t.equal(cells[3], r.band, `${code} band`);
      t.equal(cells[4], r.redFlag ? '🚩Red flag' : r.blackFlag ? '⚑Black flag' : '', `${code} flags`);
      t.equal(cells[5], fmtRate(r.rate), `${code} compliance with interval and n`);
      t.equal(cells[6], String(r.rate.violations), `${code} violations`);
      t.equal(cells[8], '1', `${code} windows`);
    }
  }

  type Standing = ReturnType<typeof standings> extends Map<string, infer V> ? V : never;
  const ixFigures = (r: Standing) =>
    `Rank ${r.rank} · Compliance ${fmtRate(r.rate)} · Violations ${r.rate.violations}`;
  const reviewFigures = (r: { rate: ComplianceRate }) => `Compliance ${fmtRate(r.rate)} · Violations ${r.rate.violations}`;

  /** Waits until the review queue shows violation `id` with its own evidence image loaded. */
  async function showing(page: Page, id: string, image: number): Promise<void> {
    await page.locator('#review-info', { hasText: `#${id}` }).waitFor();
    // A function, not a string: the page's CSP (script-src 'self') forbids eval.
    await page.waitForFunction((width) => {
      const img = (globalThis as unknown as Dom).document.getElementById('evidence');
      return img !== null && img.src.startsWith('blob:') && img.complete && img.naturalWidth === width;
    }, imageWidth(image));
  }
  const reviewPost = (page: Page, id: string) =>
    page.waitForResponse((r) => r.request().method() === 'POST' && r.url() === `${base}/api/violations/${id}/review`);
  const figuresRefresh = (page: Page, code: Code) =>
    page.waitForResponse((r) => r.request().method() === 'GET' && r.url() === `${base}/api/intersections/${code}`);
  const reviewRate = (page: Page) => page.locator('#review-rate').textContent();
  const db = f.db.pool;
  const audit = async () =>
    (await db.query<{ violation_id: string; from_status: string; to_status: string; actor: string; reason: string | null; key_id: string | null }>(
      'SELECT violation_id::text, from_status, to_status, actor, reason, key_id::text FROM review_audit ORDER BY id',
    )).rows;
  const REASON = 'headlight glare, no vehicle crossed';

  t.test('a reviewer ranks, reviews from the keyboard and sees the figures follow', async (t) => {
    const before = standings({});
    const after = standings({ 'BT-A': 1 });
    // The seed is chosen so that one rejection moves BT-A from last (black flag) to first (red flag).
    t.match([before.get('BT-A'), after.get('BT-A')], [{ rank: 2, blackFlag: true }, { rank: 1, redFlag: true }], 'the seed makes the rejection visible');

    const page = await newPage();
    await login(page, f.keys.reviewer, 'reviewer');
    checkRanking(t, await ranking(page), before);

    await page.click('a[href="#/i/BT-A"]');
    await page.locator('#ix-rating', { hasText: ixFigures(before.get('BT-A')!) }).waitFor();
    t.pass(`intersection page shows ${ixFigures(before.get('BT-A')!)}`);

    // The queue, oldest first: BT-A's three violations, then BT-B's.
    await page.click('header a[href="#/review"]');
    await showing(page, a0, 0);
    await page.locator('#review-rate', { hasText: reviewFigures(before.get('BT-A')!) }).waitFor();

    // C confirms: the next item appears; a confirmed violation still counts, so the figures stay.
    let post = reviewPost(page, a0);
    let refresh = figuresRefresh(page, 'BT-A');
    await page.keyboard.press('c');
    t.equal((await post).status(), 200, 'confirm accepted');
    t.same((await post).request().postDataJSON(), { decision: 'confirm' });
    await showing(page, a1, 1);
    await (await refresh).finished();
    t.equal(await reviewRate(page), reviewFigures(before.get('BT-A')!), 'confirming leaves the rate as it was');

    // R asks a reason (focus in its field), Enter rejects: the violation stops counting.
    await page.keyboard.press('r');
    await page.locator('#reason-form').waitFor({ state: 'visible' });
    t.equal(await page.evaluate(() => (globalThis as unknown as Dom).document.activeElement?.id), 'reason', 'the reason field has the focus');
    t.equal(await page.inputValue('#reason'), '', 'the R keystroke is not typed into the reason');
    post = reviewPost(page, a1);
    await page.keyboard.type(REASON);
    await page.keyboard.press('Enter');
    t.equal((await post).status(), 200, 'reject accepted');
    t.same((await post).request().postDataJSON(), { decision: 'reject', reason: REASON });
    await showing(page, a2, 2);
    t.notOk(await page.locator('#reason-form').isVisible(), 'the reason form closes');
    await page.locator('#review-rate', { hasText: reviewFigures(after.get('BT-A')!) }).waitFor();
    t.not(reviewFigures(after.get('BT-A')!), reviewFigures(before.get('BT-A')!), 'the figures changed');
    t.pass(`figures now ${reviewFigures(after.get('BT-A')!)}`);

    // The keyboard still works after a rejection (the focus left the hidden reason field), and a
    // second C pressed while the first decision is on its way neither decides twice nor skips the
    // next item (the API's answer is held until both keys are pressed).
    const posted: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posted.push(r.url());
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`${base}/api/violations/*/review`, async (route) => {
      await held;
      await route.continue();
    });
    post = reviewPost(page, a2);
    await page.keyboard.press('c');
    await page.keyboard.press('c');
    await page.keyboard.press('s');
    release();
    t.equal((await post).status(), 200, 'confirm after reject accepted');
    await showing(page, b0, 3);
    await page.unroute(`${base}/api/violations/*/review`);
    t.same(posted, [`${base}/api/violations/${a2}/review`], 'one decision sent for keys pressed while it was on its way');
    await page.locator('#review-rate', { hasText: reviewFigures(after.get('BT-B')!) }).waitFor();

    // The database: review columns and one audit row per decision, attributed to the reviewer's key.
    const keyId = (await db.query<{ id: string }>("SELECT id::text FROM api_keys WHERE name = 'reviewer-key'")).rows[0]!.id;
    const rows = (await db.query<{ id: string; review_status: string; reviewed_by: string | null; review_note: string | null }>(
      'SELECT id::text, review_status, reviewed_by, review_note FROM violations ORDER BY t, id',
    )).rows;
    t.same(rows, [
      { id: a0, review_status: 'confirmed', reviewed_by: 'reviewer-key', review_note: null },
      { id: a1, review_status: 'rejected', reviewed_by: 'reviewer-key', review_note: REASON },
      { id: a2, review_status: 'confirmed', reviewed_by: 'reviewer-key', review_note: null },
      { id: b0, review_status: 'pending', reviewed_by: null, review_note: null },
    ]);
    t.same(await audit(), [
      { violation_id: a0, from_status: 'pending', to_status: 'confirmed', actor: 'reviewer-key', reason: null, key_id: keyId },
      { violation_id: a1, from_status: 'pending', to_status: 'rejected', actor: 'reviewer-key', reason: REASON, key_id: keyId },
      { violation_id: a2, from_status: 'pending', to_status: 'confirmed', actor: 'reviewer-key', reason: null, key_id: keyId },
    ]);

    // Back on the overview and the intersection page, the ranking and figures follow the rejection.
    await page.click('header a[href="#/"]');
    checkRanking(t, await ranking(page), after);
    await page.click('a[href="#/i/BT-A"]');
    await page.locator('#ix-rating', { hasText: ixFigures(after.get('BT-A')!) }).waitFor();
    t.pass(`intersection page shows ${ixFigures(after.get('BT-A')!)}`);
    await page.context().close();
  });

  t.test('a viewer cannot review', async (t) => {
    const page = await newPage();
    const posts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'POST') posts.push(r.url());
    });
    await login(page, f.keys.viewer, 'viewer');
    await page.click('header a[href="#/review"]');
    await showing(page, b0, 3);
    t.ok(await page.locator('#confirm').isDisabled(), 'confirm is disabled');
    t.ok(await page.locator('#reject').isDisabled(), 'reject is disabled');
    t.ok(await page.locator('#skip').isEnabled(), 'skip stays available');
    await page.keyboard.press('c');
    await page.keyboard.press('r');
    await page.waitForTimeout(300);
    t.notOk(await page.locator('#reason-form').isVisible(), 'R asks no reason');
    t.same(posts, [], 'C and R send nothing');
    await page.locator('#review-info', { hasText: `#${b0}` }).waitFor();

    // A client that believes the viewer may review (its /api/me answer altered) is refused by the API.
    await page.route(`${base}/api/me`, async (route) => {
      const res = await route.fetch();
      await route.fulfill({ response: res, json: { ...(await res.json()), role: 'reviewer' } });
    });
    await page.reload();
    await page.locator('#confirm:enabled').waitFor();
    await showing(page, b0, 3);
    const post = reviewPost(page, b0);
    await page.keyboard.press('c');
    const res = await post;
    t.equal(res.status(), 403, 'the API refuses the viewer');
    t.equal((await res.json()).error.code, 'FORBIDDEN');
    await page.locator('#review-message', { hasText: 'This key may not do that' }).waitFor();
    t.match(await page.locator('#review-info').textContent(), `#${b0}`, 'the violation stays on screen');

    const v = (await db.query<{ review_status: string; reviewed_by: string | null }>('SELECT review_status, reviewed_by FROM violations WHERE id = $1', [b0])).rows[0];
    t.same(v, { review_status: 'pending', reviewed_by: null }, 'the violation is still pending');
    t.same((await audit()).map((r) => r.violation_id), [a0, a1, a2], 'no audit row was written');
    await page.context().close();
  });

  t.test('no script errors in the page', async (t) => {
    t.same(pageErrors, []);
  });
}
