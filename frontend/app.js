// The messages page: submit jobs, then poll each one until it finishes.
// Polling honours Retry-After; without it, it backs off exponentially with jitter, and it gives up
// after a bounded number of failed checks or a bounded wait, offering Retry.
(function () {
  'use strict';

  const POLICY = Object.freeze({
    backoffBaseMs: 1000,
    backoffCapMs: 30000,
    // A Retry-After beyond this is treated as this, so a wrong header cannot park a job for hours.
    retryAfterCapMs: 300000,
    // Positive jitter only, so the page never checks before the server said it may.
    retryAfterJitter: 0.1,
    maxConsecutiveFailures: 6,
    // delaySeconds is at most 300 s; twice that plus slack means something is wrong.
    maxWaitMs: 15 * 60 * 1000,
    requestTimeoutMs: 20000,
    // Submits are retried only because they carry an Idempotency-Key: a retry names the same job.
    submitAttempts: 3,
  });

  const FINAL_STATUSES = new Set(['SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'NOT_FOUND']);

  const STATUS_LABELS = {
    RUNNING: 'Running',
    SUCCEEDED: 'Succeeded',
    FAILED: 'Failed',
    TIMED_OUT: 'Timed out',
    ABORTED: 'Cancelled',
    NOT_FOUND: 'Not found',
    GAVE_UP: 'Stopped checking',
  };

  const dom = {
    form: document.getElementById('job-form'),
    audience: document.getElementById('audience'),
    delay: document.getElementById('delay'),
    submit: document.getElementById('submit'),
    formError: document.getElementById('form-error'),
    list: document.getElementById('jobs'),
    noJobs: document.getElementById('no-jobs'),
    clearFinished: document.getElementById('clear-finished'),
    announcer: document.getElementById('announcer'),
    apiBase: document.getElementById('api-base'),
    template: document.getElementById('job-template'),
  };

  const apiBase = resolveApiBase(window.location);
  const jobs = new Map();
  let cancelSupported = true;

  const createdAtFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

  // `?api=https://host/stage` points the page at another origin (which must allow it via CORS).
  // Without it, URLs are relative to the page, so the page also works under a path prefix.
  function resolveApiBase(location) {
    const param = new URLSearchParams(location.search).get('api');
    if (param) {
      try {
        const url = new URL(param, location.href);
        if (url.protocol === 'http:' || url.protocol === 'https:') {
          if (!url.pathname.endsWith('/')) url.pathname += '/';
          url.search = '';
          url.hash = '';
          return url;
        }
      } catch {
        // An unusable ?api= falls back to the page's own origin, reported below.
      }
      console.warn('Ignoring ?api=' + param + ': not an http(s) URL');
    }
    return new URL('.', location.href);
  }

  function apiUrl(path) {
    return new URL(path, apiBase).toString();
  }

  function jobUrl(id) {
    return apiUrl('messages/' + encodeURIComponent(id));
  }

  // Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3).
  function retryAfterMs(response) {
    const value = response.headers.get('Retry-After');
    if (value === null) return null;
    const trimmed = value.trim();
    if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed) * 1000, POLICY.retryAfterCapMs);
    const date = Date.parse(trimmed);
    if (Number.isNaN(date)) return null;
    return Math.min(Math.max(date - Date.now(), 0), POLICY.retryAfterCapMs);
  }

  function withJitter(hintMs) {
    return Math.round(hintMs + Math.random() * Math.min(hintMs * POLICY.retryAfterJitter, 1000));
  }

  // "Equal jitter": at least half the exponential step, so the delay keeps growing while clients spread out.
  function backoffMs(attempt) {
    const step = Math.min(POLICY.backoffCapMs, POLICY.backoffBaseMs * 2 ** attempt);
    return Math.round(step / 2 + Math.random() * (step / 2));
  }

  async function fetchWithTimeout(url, init) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), POLICY.requestTimeoutMs);
    try {
      return await fetch(url, { ...init, signal: controller.signal, cache: 'no-store' });
    } finally {
      clearTimeout(timer);
    }
  }

  async function readJson(response) {
    const text = await response.text();
    if (!text) return null;
    try {
      return JSON.parse(text);
    } catch {
      return null;
    }
  }

  // problem+json (RFC 9457) carries the readable reason in `detail`, falling back to `title`.
  function problemText(response, body) {
    if (body && typeof body === 'object') {
      if (typeof body.detail === 'string' && body.detail) return body.detail;
      if (typeof body.title === 'string' && body.title) return body.title;
    }
    return 'HTTP ' + response.status + (response.statusText ? ' ' + response.statusText : '');
  }

  function announce(text) {
    // Clearing first makes screen readers repeat an identical message.
    dom.announcer.textContent = '';
    setTimeout(() => {
      dom.announcer.textContent = text;
    }, 50);
  }

  function seconds(ms) {
    const s = ms / 1000;
    return (s < 10 ? s.toFixed(1).replace(/\.0$/, '') : String(Math.round(s))) + ' s';
  }

  function jobTitle(job) {
    if (job.audience === null) return 'World (default)';
    // A blank audience is accepted and then fails; say so instead of showing an empty title.
    if (job.audience.trim() === '') return 'Blank audience';
    return job.audience;
  }

  // ---- the form ----

  function readForm() {
    const body = {};
    const audience = dom.audience.value;
    if (audience !== '') body.audience = audience;
    const delay = dom.delay.value.trim();
    if (delay !== '') {
      const n = Number(delay);
      if (!Number.isInteger(n) || n < 0 || n > 300) {
        return { error: 'Delay must be a whole number of seconds from 0 to 300.', field: dom.delay };
      }
      body.delaySeconds = n;
    }
    return { body };
  }

  function showFormError(text, field) {
    dom.formError.textContent = text;
    dom.formError.hidden = false;
    if (field) {
      field.setAttribute('aria-invalid', 'true');
      field.focus();
    }
  }

  function clearFormError() {
    dom.formError.hidden = true;
    dom.formError.textContent = '';
    dom.audience.removeAttribute('aria-invalid');
    dom.delay.removeAttribute('aria-invalid');
  }

  async function onSubmit(event) {
    event.preventDefault();
    clearFormError();
    const parsed = readForm();
    if (parsed.error) {
      showFormError(parsed.error, parsed.field);
      return;
    }
    dom.submit.disabled = true;
    dom.submit.textContent = 'Submitting…';
    try {
      await submitJob(parsed.body);
      dom.audience.value = '';
      dom.delay.value = '';
      dom.audience.focus();
    } catch (error) {
      showFormError(error.message);
    } finally {
      dom.submit.disabled = false;
      dom.submit.textContent = 'Submit';
    }
  }

  async function submitJob(body) {
    const hasFields = Object.keys(body).length > 0;
    // An empty body is part of the contract: the API defaults the audience itself.
    const headers = { 'Idempotency-Key': newIdempotencyKey() };
    const init = hasFields
      ? { method: 'POST', headers: { ...headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }
      : { method: 'POST', headers };
    let response;
    try {
      response = await postWithRetries(init);
    } catch {
      const crossOrigin = apiBase.origin !== window.location.origin;
      throw new Error('Could not reach the server at ' + apiBase + '. Check that it is running' +
        (crossOrigin ? ' and that it allows requests from ' + window.location.origin + ' (CORS).' : '.'));
    }
    const payload = await readJson(response);
    if (response.status !== 202 && response.status !== 200) {
      throw new Error('The job was not accepted: ' + problemText(response, payload));
    }
    if (!payload || typeof payload.id !== 'string') {
      throw new Error('The server accepted the job but sent no job id.');
    }
    const job = addJob(payload.id, hasFields && 'audience' in body ? body.audience : null);
    applyJobBody(job, payload);
    const running = job.status === 'RUNNING';
    if (running) {
      const hint = retryAfterMs(response);
      schedulePoll(job, hint === null ? backoffMs(0) : withJitter(hint));
    }
    render(job);
    // A server that finished the job within the request (Prefer: wait) answers 200 with the result.
    if (running) announce('Job for ' + jobTitle(job) + ' submitted.');
    else announceFinal(job);
  }

  // crypto.randomUUID needs a secure context; getRandomValues also works on plain http.
  function newIdempotencyKey() {
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return 'page-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  function sleep(ms) {
    return new Promise((resolve) => setTimeout(resolve, ms));
  }

  // Lost answers, throttling and upstream hiccups are retried with the same key, so the
  // server either starts the job once or answers with the one it already started.
  async function postWithRetries(init) {
    for (let attempt = 1; ; attempt += 1) {
      const last = attempt >= POLICY.submitAttempts;
      let response;
      try {
        response = await fetchWithTimeout(apiUrl('messages'), init);
      } catch (error) {
        if (last) throw error;
        await sleep(backoffMs(attempt - 1));
        continue;
      }
      const retryable = response.status === 429 || response.status === 502 || response.status === 503;
      if (!retryable || last) return response;
      const hint = retryAfterMs(response);
      await sleep(hint === null ? backoffMs(attempt - 1) : withJitter(hint));
    }
  }

  // ---- jobs ----

  // Jobs outlive a reload (not the tab): kept per API base in sessionStorage, finished ones with
  // their outcome so a reload does not ask the server again (which may have forgotten them).
  const storeKey = 'messages.jobs:' + apiBase;
  const MAX_REMEMBERED = 50;

  function remember() {
    const list = [...jobs.values()].slice(-MAX_REMEMBERED).map((job) => (FINAL_STATUSES.has(job.status)
      ? { id: job.id, audience: job.audience, status: job.status, output: job.output, error: job.error, cause: job.cause }
      : { id: job.id, audience: job.audience }));
    try {
      sessionStorage.setItem(storeKey, JSON.stringify(list));
    } catch {
      // Storage disabled or full: the page still works, it only forgets on reload.
    }
  }

  function restore() {
    let saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(storeKey) || '[]');
    } catch {
      return;
    }
    if (!Array.isArray(saved)) return;
    for (const entry of saved) {
      if (!entry || typeof entry.id !== 'string') continue;
      const job = addJob(entry.id, typeof entry.audience === 'string' ? entry.audience : null);
      if (FINAL_STATUSES.has(entry.status)) {
        applyJobBody(job, entry);
        render(job);
      } else {
        render(job);
        poll(job);
      }
    }
  }

  function addJob(id, audience) {
    const existing = jobs.get(id);
    if (existing) return existing;
    const element = dom.template.content.firstElementChild.cloneNode(true);
    const job = {
      id,
      audience,
      status: 'RUNNING',
      element,
      polls: 0,
      failures: 0,
      hintlessPolls: 0,
      startedAt: Date.now(),
      timer: null,
      nextCheckMs: null,
      lastError: null,
      note: null,
      cancelling: false,
      output: null,
      error: null,
      cause: null,
    };
    element.dataset.jobId = id;
    element.querySelector('.job-cancel').addEventListener('click', () => cancelJob(job));
    element.querySelector('.job-retry').addEventListener('click', () => retryJob(job));
    jobs.set(id, job);
    dom.list.prepend(element);
    remember();
    updateListChrome();
    return job;
  }

  function applyJobBody(job, body) {
    if (!body || typeof body.status !== 'string') return;
    // A status this page does not know yet is not final: keep checking until it becomes one.
    job.status = FINAL_STATUSES.has(body.status) ? body.status : 'RUNNING';
    // Notes are about the running job ("cannot cancel", "cancel requested"); the outcome replaces them.
    if (FINAL_STATUSES.has(job.status)) job.note = null;
    if (body.status === 'SUCCEEDED' && body.output) {
      job.output = body.output;
    } else if (FINAL_STATUSES.has(body.status)) {
      job.error = typeof body.error === 'string' ? body.error : null;
      job.cause = typeof body.cause === 'string' ? body.cause : null;
    }
  }

  function schedulePoll(job, delayMs) {
    clearTimeout(job.timer);
    job.nextCheckMs = delayMs;
    job.timer = setTimeout(() => poll(job), delayMs);
  }

  function stopPolling(job) {
    clearTimeout(job.timer);
    job.timer = null;
    job.nextCheckMs = null;
  }

  async function poll(job) {
    job.timer = null;
    job.nextCheckMs = null;
    job.polls += 1;
    let response;
    let body = null;
    let unreachable = false;
    try {
      response = await fetchWithTimeout(jobUrl(job.id), { method: 'GET', headers: { Accept: 'application/json' } });
      body = await readJson(response);
    } catch {
      unreachable = true;
    }
    // A cancel may have settled the job while this check was in flight; its answer is stale.
    if (FINAL_STATUSES.has(job.status) || job.status === 'GAVE_UP') return;
    if (unreachable) onPollFailure(job, null, 'the server did not answer');
    else onPollResponse(job, response, body);
  }

  function markNotFound(job, response, body) {
    stopPolling(job);
    job.status = 'NOT_FOUND';
    job.error = 'NotFound';
    job.cause = problemText(response, body);
    job.note = null;
  }

  function onPollResponse(job, response, body) {
    if (response.status === 200 && body && typeof body.status === 'string') {
      job.failures = 0;
      job.lastError = null;
      applyJobBody(job, body);
      if (job.status === 'RUNNING') {
        continuePolling(job, retryAfterMs(response));
      } else {
        stopPolling(job);
        announceFinal(job);
      }
      render(job);
      return;
    }
    if (response.status === 404) {
      markNotFound(job, response, body);
      render(job);
      announceFinal(job);
      return;
    }
    // 429 and 5xx are transient by definition; other 4xx will not heal by waiting, so stop at once.
    const transient = response.status === 429 || response.status >= 500;
    if (!transient) {
      giveUp(job, problemText(response, body));
      return;
    }
    onPollFailure(job, response, problemText(response, body));
  }

  function continuePolling(job, hint) {
    if (Date.now() - job.startedAt > POLICY.maxWaitMs) {
      giveUp(job, 'it has been running for more than ' + Math.round(POLICY.maxWaitMs / 60000) + ' minutes');
      return;
    }
    if (hint === null) {
      schedulePoll(job, backoffMs(job.hintlessPolls));
      job.hintlessPolls += 1;
    } else {
      job.hintlessPolls = 0;
      schedulePoll(job, withJitter(hint));
    }
  }

  function onPollFailure(job, response, reason) {
    job.failures += 1;
    job.lastError = reason;
    if (job.failures >= POLICY.maxConsecutiveFailures) {
      giveUp(job, reason);
      return;
    }
    const hint = response ? retryAfterMs(response) : null;
    schedulePoll(job, hint === null ? backoffMs(job.failures - 1) : withJitter(hint));
    render(job);
  }

  function giveUp(job, reason) {
    stopPolling(job);
    job.status = 'GAVE_UP';
    job.lastError = reason;
    render(job);
    announce('Stopped checking the job for ' + jobTitle(job) + ': ' + reason + '. Use Retry to check again.');
  }

  function retryJob(job) {
    if (job.status !== 'GAVE_UP') return;
    job.status = 'RUNNING';
    job.failures = 0;
    job.hintlessPolls = 0;
    job.lastError = null;
    job.startedAt = Date.now();
    render(job);
    announce('Checking the job for ' + jobTitle(job) + ' again.');
    poll(job);
    // Retry disappears on click; keep the keyboard user inside the job, or at least in the list.
    const cancel = job.element.querySelector('.job-cancel');
    (cancel.hidden ? document.getElementById('jobs-heading') : cancel).focus({ preventScroll: true });
  }

  async function cancelJob(job) {
    if (job.cancelling || FINAL_STATUSES.has(job.status)) return;
    job.cancelling = true;
    job.note = null;
    render(job);
    let response;
    let body = null;
    try {
      response = await fetchWithTimeout(jobUrl(job.id), { method: 'DELETE', headers: { Accept: 'application/json' } });
      body = await readJson(response);
    } catch {
      job.cancelling = false;
      job.note = 'Could not cancel: the server did not answer. Try again.';
      render(job);
      return;
    }
    job.cancelling = false;
    if (response.ok && body && typeof body.status === 'string') {
      applyJobBody(job, body);
      if (FINAL_STATUSES.has(job.status)) {
        stopPolling(job);
        announceFinal(job);
      } else {
        job.note = 'Cancel requested.';
        // A job that had stopped being checked must be watched again to see the cancel land.
        if (job.timer === null) schedulePoll(job, backoffMs(0));
      }
    } else if (response.status === 405 || response.status === 501) {
      // Servers before DELETE /messages/{id} existed answer 405; the job keeps running and polling.
      cancelSupported = false;
      job.note = 'This server cannot cancel jobs. The job keeps running.';
      jobs.forEach(render);
    } else if (response.status === 404) {
      markNotFound(job, response, body);
      announceFinal(job);
    } else {
      job.note = 'Could not cancel: ' + problemText(response, body) + '.';
    }
    render(job);
  }

  function announceFinal(job) {
    remember();
    const who = 'Job for ' + jobTitle(job);
    if (job.status === 'SUCCEEDED') {
      announce(who + ' succeeded: ' + (job.output && job.output.message));
    } else {
      announce(who + ' ' + STATUS_LABELS[job.status].toLowerCase() + (job.cause ? ': ' + job.cause : '.'));
    }
  }

  function detailText(job) {
    switch (job.status) {
      case 'RUNNING': {
        const checks = job.polls === 1 ? '1 check' : job.polls + ' checks';
        const next = job.nextCheckMs === null ? 'Checking now…' : 'Next check in ' + seconds(job.nextCheckMs) + '.';
        const problem = job.lastError ? ' Last check failed: ' + job.lastError + '.' : '';
        return (job.polls ? checks + ' so far. ' : '') + next + problem;
      }
      case 'GAVE_UP':
        return 'Stopped after ' + job.polls + (job.polls === 1 ? ' check' : ' checks') +
          (job.lastError ? ': ' + job.lastError : '') + '.';
      default:
        return '';
    }
  }

  function render(job) {
    const el = job.element;
    el.dataset.status = job.status;
    el.dataset.polls = String(job.polls);
    if (job.nextCheckMs === null) delete el.dataset.nextCheckMs;
    else el.dataset.nextCheckMs = String(job.nextCheckMs);

    el.querySelector('.job-title').textContent = jobTitle(job);
    const badge = el.querySelector('.badge');
    badge.textContent = STATUS_LABELS[job.status] || job.status;
    badge.className = 'badge badge-' + job.status.toLowerCase().replace('_', '-');

    const detail = el.querySelector('.job-detail');
    detail.textContent = detailText(job);
    detail.hidden = detail.textContent === '';

    const succeeded = job.status === 'SUCCEEDED' && job.output;
    const message = el.querySelector('.job-message');
    message.hidden = !succeeded;
    message.textContent = succeeded ? String(job.output.message) : '';
    const created = el.querySelector('.job-created');
    const createdAt = succeeded ? Number(job.output.createdAt) : NaN;
    created.hidden = !Number.isFinite(createdAt);
    if (!created.hidden) {
      const time = created.querySelector('time');
      const date = new Date(createdAt);
      time.dateTime = date.toISOString();
      time.textContent = createdAtFormat.format(date);
    }

    const failed = FINAL_STATUSES.has(job.status) && job.status !== 'SUCCEEDED';
    el.querySelector('.job-failure').hidden = !failed;
    el.querySelector('.job-error').textContent = job.error || STATUS_LABELS[job.status];
    el.querySelector('.job-cause').textContent = job.cause || 'No cause given.';

    const note = el.querySelector('.job-note');
    note.hidden = !job.note;
    note.textContent = job.note || '';

    el.querySelector('.job-id').textContent = job.id;
    el.querySelector('.job-retry').hidden = job.status !== 'GAVE_UP';
    const cancel = el.querySelector('.job-cancel');
    cancel.hidden = !cancelSupported || !(job.status === 'RUNNING' || job.status === 'GAVE_UP');
    cancel.disabled = job.cancelling;
    cancel.textContent = job.cancelling ? 'Cancelling…' : 'Cancel';
    cancel.setAttribute('aria-label', 'Cancel the job for ' + jobTitle(job));
    el.querySelector('.job-retry').setAttribute('aria-label', 'Check the job for ' + jobTitle(job) + ' again');

    updateListChrome();
  }

  function updateListChrome() {
    dom.noJobs.hidden = jobs.size > 0;
    let finished = 0;
    jobs.forEach((job) => {
      if (FINAL_STATUSES.has(job.status)) finished += 1;
    });
    dom.clearFinished.hidden = finished === 0;
  }

  function clearFinished() {
    jobs.forEach((job, id) => {
      if (FINAL_STATUSES.has(job.status)) {
        job.element.remove();
        jobs.delete(id);
      }
    });
    remember();
    updateListChrome();
    // The button just hid itself; move focus somewhere meaningful.
    document.getElementById('jobs-heading').focus();
    announce('Finished jobs cleared.');
  }

  dom.apiBase.textContent = apiBase.toString();
  document.querySelector('.page-footer a').href = apiUrl('openapi.yaml');
  dom.form.addEventListener('submit', onSubmit);
  dom.clearFinished.addEventListener('click', clearFinished);
  updateListChrome();
  restore();
})();
