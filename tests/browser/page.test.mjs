// Drives the browser page against a running server at BASE_URL with the system Chromium.
// Run it through tests/browser/run, which checks the tools first.
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const artifacts = path.join(root, 'target', 'browser');
// playwright-core lives in .tools/node, not beside this file, so resolve it from there.
const requireTool = createRequire(path.join(root, '.tools', 'node', 'package.json'));

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];
// Generous: the machine is shared and jobs run on a real engine; these bound waits, they assert nothing.
const JOB_TIMEOUT_MS = 45_000;
const JOB_PATH = /\/messages\/[^/?#]+$/;

// Whatever stops the run early, the last line still counts it as a failure.
function abort(message) {
  console.log(`FAIL - ${message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const baseUrl = (process.env.BASE_URL || '').replace(/\/+$/, '');
if (!baseUrl) abort('BASE_URL is not set: start the server and set BASE_URL=http://127.0.0.1:PORT');

let chromium;
try {
  ({ chromium } = requireTool('playwright-core'));
} catch {
  abort('playwright-core is missing from .tools/node: run scripts/setup');
}

class AssertionError extends Error {}

function assert(condition, message) {
  if (!condition) throw new AssertionError(message);
}

function assertEqual(actual, expected, what) {
  assert(actual === expected, `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

const DESKTOP = { width: 1000, height: 900 };
const PHONE = { width: 360, height: 740 };

// Each test gets a fresh page in its own context; the runner closes it whatever happens.
const tests = [];
function test(name, body, { viewport = DESKTOP } = {}) {
  tests.push({ name, body, viewport });
}

async function load(page, url) {
  const response = await page.goto(url, { waitUntil: 'load' });
  assert(response && response.ok(), `GET ${url} answered ${response && response.status()}`);
}

function isPoll(request, id) {
  const url = new URL(request.url());
  return request.method() === 'GET' && JOB_PATH.test(url.pathname) && (!id || url.pathname.endsWith(`/${id}`));
}

function isSubmit(response) {
  return response.request().method() === 'POST' && new URL(response.url()).pathname.endsWith('/messages');
}

// Fills the form, submits with the keyboard, and returns the job id from the API's answer.
async function submit(page, { audience, delaySeconds } = {}) {
  await audienceField(page).fill(audience ?? '');
  await delayField(page).fill(delaySeconds === undefined ? '' : String(delaySeconds));
  // A submit the browser blocks (CORS, network) never answers; the page's alert says why.
  const alert = page.getByRole('alert');
  const [outcome] = await Promise.all([
    Promise.race([
      page.waitForResponse(isSubmit).then((response) => ({ response })),
      alert.waitFor().then(async () => ({ alert: await alert.textContent() })),
    ]),
    audienceField(page).press('Enter'),
  ]);
  assert(outcome.response, `the submit got no answer; the page says: ${outcome.alert}`);
  const { response } = outcome;
  assertEqual(response.status(), 202, 'POST /messages status');
  const body = await response.json();
  assert(typeof body.id === 'string' && body.id.length > 0, 'POST /messages returned an id');
  const retryAfter = response.headers()['retry-after'];
  return { id: body.id, request: response.request(), retryAfter: retryAfter === undefined ? null : Number(retryAfter) };
}

function audienceField(page) {
  return page.getByRole('textbox', { name: /^Audience/ });
}

function delayField(page) {
  return page.getByRole('spinbutton', { name: /^Delay/ });
}

// Fake timers run on by themselves after install; pausing makes only runFor move time.
async function pauseClock(page) {
  await page.clock.pauseAt(Date.now() + 1000);
}

function jobItem(page, id) {
  return page.locator(`li.job[data-job-id="${id}"]`);
}

async function waitForStatus(page, id, status) {
  await page.locator(`li.job[data-job-id="${id}"][data-status="${status}"]`).waitFor({ timeout: JOB_TIMEOUT_MS });
  return jobItem(page, id);
}

// Records every poll of every job with the Retry-After the server answered.
function recordPolls(page) {
  const polls = new Map();
  page.on('request', (request) => {
    if (!isPoll(request)) return;
    const id = decodeURIComponent(new URL(request.url()).pathname.split('/').pop());
    if (!polls.has(id)) polls.set(id, []);
    polls.get(id).push({ at: Date.now(), retryAfter: null, request });
  });
  page.on('response', (response) => {
    const entry = [...polls.values()].flat().find((p) => p.request === response.request());
    if (!entry) return;
    const value = response.headers()['retry-after'];
    entry.retryAfter = value === undefined ? null : Number(value);
  });
  return polls;
}

// Delays are only ever read from the page, never measured, so a slow machine cannot fail them.
async function nextCheckMs(item) {
  const value = await item.getAttribute('data-next-check-ms');
  assert(value !== null, 'the job has a next check scheduled');
  return Number(value);
}

// ---- the tests ----

test('the page loads with a labelled form, an empty job list and a live region', async (page) => {
  await load(page, `${baseUrl}/`);
  assertEqual(await page.title(), 'Messages', 'title');
  await audienceField(page).waitFor();
  await delayField(page).waitFor();
  await page.getByRole('button', { name: 'Submit' }).waitFor();
  assert(await page.getByText('No jobs yet').isVisible(), 'the empty state is shown');
  assertEqual(await page.locator('#announcer').getAttribute('aria-live'), 'polite', 'announcer aria-live');
  const css = await page.request.get(`${baseUrl}/style.css`);
  assert(css.ok() && (css.headers()['content-type'] || '').includes('text/css'), '/style.css is served as CSS');
  const js = await page.request.get(`${baseUrl}/app.js`);
  assert(js.ok() && /javascript/.test(js.headers()['content-type'] || ''), '/app.js is served as JavaScript');
});

test('keyboard only: Tab reaches the audience, Enter submits, focus returns to the form', async (page) => {
  await load(page, `${baseUrl}/`);
  await page.keyboard.press('Tab');
  assertEqual(await page.evaluate(() => document.activeElement.className), 'skip-link', 'first Tab stop');
  await page.keyboard.press('Tab');
  assertEqual(await page.evaluate(() => document.activeElement.id), 'audience', 'second Tab stop');
  await page.keyboard.type('Keyboard');
  const [response] = await Promise.all([page.waitForResponse(isSubmit), page.keyboard.press('Enter')]);
  const { id } = await response.json();
  const item = await waitForStatus(page, id, 'SUCCEEDED');
  assertEqual(await item.locator('.job-message').textContent(), 'HELLO KEYBOARD!', 'message');
  assertEqual(await page.evaluate(() => document.activeElement.id), 'audience', 'focus after submit');
});

// The main scenario runs on one page, so its final state is the screenshot.
test('submit with and without an audience and with a blank one: results and failure rendered', async (page) => {
  await load(page, `${baseUrl}/`);

  const named = await submit(page, { audience: 'Step Functions' });
  assertEqual(named.request.postDataJSON().audience, 'Step Functions', 'the audience sent');
  const defaulted = await submit(page, {});
  assertEqual(defaulted.request.postData(), null, 'an empty audience sends no body');
  const blank = await submit(page, { audience: ' ' });

  const namedItem = await waitForStatus(page, named.id, 'SUCCEEDED');
  assertEqual(await namedItem.locator('.job-message').textContent(), 'HELLO STEP FUNCTIONS!', 'message with audience');
  assertEqual(await namedItem.locator('.job-title').textContent(), 'Step Functions', 'title with audience');
  const datetime = await namedItem.locator('.job-created time').getAttribute('datetime');
  assert(!Number.isNaN(Date.parse(datetime)), `createdAt is shown as a date (${datetime})`);
  assert(await namedItem.locator('.job-created').isVisible(), 'the creation time is visible');
  assert(!(await namedItem.locator('.job-cancel').isVisible()), 'no Cancel on a finished job');

  const defaultItem = await waitForStatus(page, defaulted.id, 'SUCCEEDED');
  assertEqual(await defaultItem.locator('.job-message').textContent(), 'HELLO WORLD!', 'message without audience');

  const blankItem = await waitForStatus(page, blank.id, 'FAILED');
  const failed = await (await page.request.get(`${baseUrl}/messages/${blank.id}`)).json();
  assertEqual(await blankItem.locator('.badge').textContent(), 'Failed', 'failure badge');
  assertEqual(await blankItem.locator('.job-error').textContent(), failed.error, 'error shown');
  assertEqual(failed.error, 'InvalidAudience', 'the API error for a blank audience');
  assertEqual(await blankItem.locator('.job-cause').textContent(), failed.cause, 'cause shown');
  assert(await blankItem.locator('.job-failure').isVisible(), 'the failure is visible');
  assert(!(await blankItem.locator('.job-message').isVisible()), 'no message on a failed job');

  await page.getByRole('heading', { name: 'Jobs' }).waitFor();
  assertEqual(await page.locator('li.job').count(), 3, 'jobs listed');
  assert(await page.getByRole('button', { name: 'Clear finished' }).isVisible(), 'Clear finished is offered');
  // The live region is refilled a moment after each change, so wait for it rather than read it.
  await page.locator('#announcer', { hasText: /succeeded|failed/i }).waitFor();

  assertEqual(await blankItem.locator('.job-title').textContent(), 'Blank audience', 'title for a blank audience');

  // The focus ring on the emptied input is correct but distracting in a picture of the page.
  await page.evaluate(() => document.activeElement.blur());
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'page.png'), fullPage: true });
});

test('polling honours Retry-After: a job with delaySeconds 3 gets few polls, never early', async (page) => {
  const polls = recordPolls(page);
  await load(page, `${baseUrl}/`);
  const started = Date.now();
  const { id, retryAfter } = await submit(page, { audience: 'Patience', delaySeconds: 3 });
  const item = jobItem(page, id);
  await item.waitFor();
  // Every delay the page plans is at least what the server asked for.
  const planned = [];
  const watcher = setInterval(async () => {
    const value = await item.getAttribute('data-next-check-ms').catch(() => null);
    if (value !== null) planned.push(Number(value));
  }, 100);
  try {
    await waitForStatus(page, id, 'SUCCEEDED');
  } finally {
    clearInterval(watcher);
  }
  const elapsedS = (Date.now() - started) / 1000;
  const mine = polls.get(id) || [];
  assert(mine.length >= 1, 'the page polled the job');
  const hints = [retryAfter, ...mine.map((p) => p.retryAfter)].filter((v) => v !== null);
  assert(hints.some((v) => v > 0), 'the server sent Retry-After while the job ran');
  const minHint = Math.min(...hints.filter((v) => v > 0));
  // Honouring Retry-After allows at most one poll per hint over the whole wait, plus the final one.
  const bound = Math.floor(elapsedS / minHint) + 2;
  assert(mine.length <= bound, `${mine.length} polls in ${elapsedS.toFixed(1)} s with Retry-After ${minHint} (at most ${bound})`);
  const floor = Math.min(...hints) * 1000;
  assert(planned.every((ms) => ms >= floor), `planned delays ${planned.join(', ')} ms honour Retry-After ${hints.join(', ')} s`);
});

test('with a controlled clock, the next poll waits exactly for Retry-After (plus at most 10% jitter)', async (page) => {
  await page.clock.install();
  const retryAfterS = 4;
  // Replace the server's hint with a larger one so "not before" is unmistakable.
  await page.route(JOB_PATH, async (route) => {
    const response = await route.fetch();
    const body = await response.json();
    await route.fulfill({ response, json: { ...body, status: 'RUNNING', output: undefined }, headers: { ...response.headers(), 'retry-after': String(retryAfterS) } });
  });
  await load(page, `${baseUrl}/`);
  await pauseClock(page);
  const { id } = await submit(page, { audience: 'Clockwork' });
  const item = jobItem(page, id);
  await item.waitFor();
  const first = await nextCheckMs(item);
  let polls = 0;
  page.on('request', (r) => { if (isPoll(r, id)) polls += 1; });
  await page.clock.runFor(first - 1);
  assertEqual(polls, 0, 'polls before the POST Retry-After elapsed');
  await Promise.all([page.waitForRequest((r) => isPoll(r, id)), page.clock.runFor(1)]);
  await page.locator(`li.job[data-job-id="${id}"][data-polls="1"][data-next-check-ms]`).waitFor();
  const second = await nextCheckMs(item);
  assert(second >= retryAfterS * 1000 && second <= retryAfterS * 1100, `next check ${second} ms for Retry-After ${retryAfterS} s`);
  await page.clock.runFor(second - 1);
  assertEqual(polls, 1, 'polls before Retry-After elapsed');
  await Promise.all([page.waitForRequest((r) => isPoll(r, id)), page.clock.runFor(1)]);
  assertEqual(polls, 2, 'polls once Retry-After elapsed');
});

test('without Retry-After on failures the page backs off, gives up, and Retry resumes', async (page) => {
  await page.clock.install();
  await page.route(JOB_PATH, (route) => route.fulfill({
    status: 503,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'Service Unavailable', status: 503, detail: 'test outage' }),
  }));
  await load(page, `${baseUrl}/`);
  await pauseClock(page);
  const { id } = await submit(page, { audience: 'Outage' });
  const item = jobItem(page, id);
  await item.waitFor();
  const delays = [];
  for (let poll = 1; ; poll += 1) {
    const delay = await nextCheckMs(item);
    await Promise.all([page.waitForRequest((r) => isPoll(r, id)), page.clock.runFor(delay)]);
    await page.locator(`li.job[data-job-id="${id}"][data-polls="${poll}"]`).waitFor();
    const status = await item.getAttribute('data-status');
    if (status === 'GAVE_UP') break;
    assertEqual(status, 'RUNNING', `status after failed check ${poll}`);
    await page.locator(`li.job[data-job-id="${id}"][data-polls="${poll}"][data-next-check-ms]`).waitFor();
    delays.push(await nextCheckMs(item));
    assert(poll < 20, 'the page gave up within 20 failed checks');
  }
  assert(delays.length >= 2, `backed off more than once (${delays.join(', ')})`);
  for (let i = 1; i < delays.length; i += 1) {
    assert(delays[i] >= delays[i - 1], `backoff grows: ${delays.join(', ')} ms`);
  }
  assert(delays.every((d) => d <= 30_000), `backoff is capped at 30 s: ${delays.join(', ')} ms`);
  assert(/test outage/.test(await item.locator('.job-detail').textContent()), 'the reason for giving up is shown');
  const retry = item.getByRole('button', { name: /again/ });
  assert(await retry.isVisible(), 'Retry is offered');

  await page.unroute(JOB_PATH);
  await page.clock.resume();
  await retry.focus();
  await page.keyboard.press('Enter');
  await waitForStatus(page, id, 'SUCCEEDED');
  assertEqual(await item.locator('.job-message').textContent(), 'HELLO OUTAGE!', 'message after Retry');
});

test('Cancel stops a running job: DELETE, then the job shows Cancelled and polling stops', async (page) => {
  await load(page, `${baseUrl}/`);
  const { id } = await submit(page, { audience: 'Cancel me', delaySeconds: 60 });
  const item = jobItem(page, id);
  const cancel = item.getByRole('button', { name: /^Cancel the job/ });
  await cancel.waitFor();
  await cancel.focus();
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'DELETE' && r.url().endsWith(`/${id}`)),
    page.keyboard.press('Enter'),
  ]);
  assertEqual(response.status(), 200, 'DELETE status');
  assertEqual((await response.json()).status, 'ABORTED', 'the job status DELETE answered');
  await waitForStatus(page, id, 'ABORTED');
  assertEqual(await item.locator('.badge').textContent(), 'Cancelled', 'badge after cancel');
  assert(!(await cancel.isVisible()), 'no Cancel on a cancelled job');
  assertEqual(await item.getAttribute('data-next-check-ms'), null, 'no further check is scheduled');
  await page.locator('#announcer', { hasText: /cancelled/i }).waitFor();
});

test('a server without DELETE (405): Cancel explains it and the job keeps running', async (page) => {
  await page.route(JOB_PATH, (route) => (route.request().method() === 'DELETE'
    ? route.fulfill({
      status: 405,
      headers: { Allow: 'GET' },
      contentType: 'application/problem+json',
      body: JSON.stringify({ type: 'about:blank', title: 'Method not allowed', status: 405, detail: 'GET only' }),
    })
    : route.fallback()));
  await load(page, `${baseUrl}/`);
  const { id } = await submit(page, { audience: 'Old server', delaySeconds: 2 });
  const item = jobItem(page, id);
  const cancel = item.getByRole('button', { name: /^Cancel the job/ });
  await cancel.click();
  await item.locator('.job-note').getByText('cannot cancel').waitFor();
  assert(!(await cancel.isVisible()), 'Cancel is withdrawn once the server refuses it');
  await waitForStatus(page, id, 'SUCCEEDED');
  assertEqual(await item.locator('.job-message').textContent(), 'HELLO OLD SERVER!', 'the job still finishes');
});

test('a reload keeps the jobs: a running one resumes polling, a finished one shows its result without a request', async (page) => {
  await load(page, `${baseUrl}/`);
  const done = await submit(page, { audience: 'Before' });
  await waitForStatus(page, done.id, 'SUCCEEDED');
  const running = await submit(page, { audience: 'Across a reload', delaySeconds: 2 });
  const polls = recordPolls(page);
  await page.reload();
  const doneItem = await waitForStatus(page, done.id, 'SUCCEEDED');
  assertEqual(await doneItem.locator('.job-message').textContent(), 'HELLO BEFORE!', 'the finished job after reload');
  const runningItem = await waitForStatus(page, running.id, 'SUCCEEDED');
  assertEqual(await runningItem.locator('.job-message').textContent(), 'HELLO ACROSS A RELOAD!', 'the running job after reload');
  const order = await page.locator('li.job').evaluateAll((items) => items.map((li) => li.dataset.jobId));
  assertEqual(order.join(','), [running.id, done.id].join(','), 'newest first after reload');
  assertEqual((polls.get(done.id) || []).length, 0, 'polls of the finished job after reload');
  await page.getByRole('button', { name: 'Clear finished' }).click();
  assertEqual(await page.locator('li.job').count(), 0, 'jobs after Clear finished');
  await page.reload();
  assertEqual(await page.locator('li.job').count(), 0, 'cleared jobs stay cleared after reload');
  assert(await page.getByText('No jobs yet').isVisible(), 'the empty state is back');
});

test('readable on a phone: no horizontal scrolling, controls at least 44 px tall', async (page) => {
  await load(page, `${baseUrl}/`);
  const { id } = await submit(page, { audience: 'A rather long audience name that has to wrap on a small phone screen' });
  await waitForStatus(page, id, 'SUCCEEDED');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert(overflow <= 0, `the page scrolls sideways by ${overflow} px`);
  for (const [name, field] of [['Audience', audienceField(page)], ['Delay', delayField(page)]]) {
    const box = await field.boundingBox();
    assert(box.height >= 44, `${name} is ${box.height} px tall`);
  }
  const submitBox = await page.getByRole('button', { name: 'Submit' }).boundingBox();
  assert(submitBox.height >= 44, `Submit is ${submitBox.height} px tall`);
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: path.join(artifacts, 'page-phone.png'), fullPage: true });
}, { viewport: PHONE });

test('?api= points the page at an explicit API base', async (page) => {
  await load(page, `${baseUrl}/?api=${encodeURIComponent(baseUrl + '/')}`);
  assertEqual(await page.locator('#api-base').textContent(), `${baseUrl}/`, 'the API base shown');
  const { id } = await submit(page, { audience: 'Elsewhere' });
  const item = await waitForStatus(page, id, 'SUCCEEDED');
  assertEqual(await item.locator('.job-message').textContent(), 'HELLO ELSEWHERE!', 'message via ?api=');
});

test('from another origin (?api= on localhost to 127.0.0.1) CORS lets the page read the job and Retry-After', async (page) => {
  const api = new URL(`${baseUrl}/`);
  const pageOrigin = new URL(api);
  // Same server, different origin: the page is served by "localhost", the API is called on the IP.
  pageOrigin.hostname = api.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
  const polls = recordPolls(page);
  await load(page, `${pageOrigin}?api=${encodeURIComponent(api.toString())}`);
  const { id, retryAfter } = await submit(page, { audience: 'Cross Origin', delaySeconds: 2 });
  const item = jobItem(page, id);
  await item.waitFor();
  const planned = await nextCheckMs(item);
  assert(retryAfter !== null && planned >= retryAfter * 1000,
    `the page read Retry-After ${retryAfter} s across origins (planned ${planned} ms)`);
  await waitForStatus(page, id, 'SUCCEEDED');
  assertEqual(await item.locator('.job-message').textContent(), 'HELLO CROSS ORIGIN!', 'message across origins');
  const seen = (polls.get(id) || []).map((p) => new URL(p.request.url()).origin);
  assert(seen.length > 0 && seen.every((origin) => origin === api.origin), `polls went to ${api.origin}: ${seen.join(', ')}`);
});

test('a submit whose answer is lost is retried with the same Idempotency-Key: one job, not two', async (page) => {
  let firstId = null;
  const keys = [];
  await page.route(/\/messages$/, async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    keys.push(await route.request().headerValue('idempotency-key'));
    if (firstId !== null) return route.fallback();
    // The server starts the job, but its answer never reaches the page.
    const response = await route.fetch();
    firstId = (await response.json()).id;
    return route.abort('connectionreset');
  });
  await load(page, `${baseUrl}/`);
  const { id } = await submit(page, { audience: 'Exactly Once' });
  assertEqual(keys.length, 2, 'POST attempts');
  assert(keys[0] && keys[0] === keys[1], `both attempts carry one Idempotency-Key (${keys.join(', ')})`);
  assertEqual(id, firstId, 'the retry names the job the first attempt started');
  const item = await waitForStatus(page, id, 'SUCCEEDED');
  assertEqual(await item.locator('.job-message').textContent(), 'HELLO EXACTLY ONCE!', 'message');
  assertEqual(await page.locator('li.job').count(), 1, 'jobs listed');
});

test('a rejected submit shows the problem detail and keeps the input', async (page) => {
  await load(page, `${baseUrl}/`);
  // maxlength stops a person from typing this; the server must still say why it refuses it.
  await page.evaluate(() => document.getElementById('audience').removeAttribute('maxlength'));
  await audienceField(page).fill('x'.repeat(1001));
  const [response] = await Promise.all([page.waitForResponse(isSubmit), page.getByRole('button', { name: 'Submit' }).click()]);
  assertEqual(response.status(), 400, 'status for a 1001-character audience');
  const problem = await response.json();
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert((await alert.textContent()).includes(problem.detail || problem.title), 'the alert shows the problem');
  assertEqual((await audienceField(page).inputValue()).length, 1001, 'the input is kept');
  assertEqual(await page.locator('li.job').count(), 0, 'no job is listed');
});

// ---- the runner ----

let browser;
try {
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
} catch (error) {
  abort(`launch ${CHROMIUM}: ${error.message.split('\n')[0]} (run scripts/setup)`);
}
let passed = 0;
let failed = 0;
try {
  for (const { name, body, viewport } of tests) {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    page.setDefaultTimeout(JOB_TIMEOUT_MS);
    const pageErrors = [];
    page.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await body(page);
      assert(pageErrors.length === 0, `the page threw: ${pageErrors.join('; ')}`);
      passed += 1;
      console.log(`ok - ${name}`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL - ${name}\n    ${String((error && error.stack) || error).split('\n').slice(0, 4).join('\n    ')}`);
    } finally {
      // A route handler still waiting on the server when the page closes would otherwise throw.
      await page.unrouteAll({ behavior: 'ignoreErrors' }).catch(() => {});
      await context.close().catch(() => {});
    }
  }
} finally {
  await browser.close();
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
