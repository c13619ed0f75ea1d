// Browser-side fake of the preload API (window.agentwatch), loaded by page.addInitScript after
// window.__fakeInit = { view, status, usage, preview, responses } is set. Plain JS on purpose: Playwright sends it as text.
// Every call is recorded in window.__fake.calls; values are cloned as IPC's structured clone would.
(() => {
  const init = window.__fakeInit;
  const clone = (v) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));
  const listeners = new Set();
  const held = new Map();
  let view = clone(init.view);
  let status = clone(init.status);

  const fake = {
    calls: [],
    responses: clone(init.responses ?? {}),
    hold: {},
    push(next) {
      status = clone(next);
      for (const l of listeners) l(clone(status));
    },
    release(name) {
      const waiters = held.get(name) ?? [];
      held.delete(name);
      for (const w of waiters) w();
    },
    listenerCount: () => listeners.size,
  };

  function record(name, arg) {
    fake.calls.push({ name, arg: clone(arg) });
    // Tells the test (openWindow's binding) that the call happened; absent when the page runs without it.
    window.__fakeCalled?.(name, clone(arg));
  }

  async function answer(name, arg, fallback) {
    record(name, arg);
    if (fake.hold[name]) await new Promise((resolve) => held.set(name, [...(held.get(name) ?? []), resolve]));
    const configured = fake.responses[name];
    return clone(configured !== undefined ? configured : fallback());
  }

  const ok = (value) => ({ ok: true, value });
  const setPhase = (phase) => {
    fake.push({ ...status, phase });
    return ok(status);
  };

  window.__fake = fake;
  window.agentwatch = {
    getSettings: () => answer('getSettings', undefined, () => ok(view)),
    saveSettings: (input) =>
      answer('saveSettings', input, () => {
        view = {
          ...view,
          settings: input.settings,
          hasToken: input.token !== undefined ? input.token !== '' : view.hasToken,
          hasApiKey: input.apiKey !== undefined ? input.apiKey !== '' : view.hasApiKey,
          openAtLogin: input.openAtLogin ?? view.openAtLogin,
          ...(view.alerts
            ? {
                alerts: {
                  ...view.alerts,
                  slack: input.slackWebhookUrl !== undefined ? { stored: input.slackWebhookUrl !== '' } : view.alerts.slack,
                  pagerduty: input.pagerdutyRoutingKey !== undefined ? { stored: input.pagerdutyRoutingKey !== '' } : view.alerts.pagerduty,
                },
              }
            : {}),
        };
        return ok({ ok: true, view });
      }),
    getStatus: () => answer('getStatus', undefined, () => ok(status)),
    about: () =>
      answer('about', undefined, () =>
        ok(init.about ?? { appVersion: '0.1.0', stateDir: '/home/ada/.config/AgentWatch Sync/state', logFile: '/home/ada/.config/AgentWatch Sync/logs/agentwatch-sync.log', projectUrl: 'https://github.com/jrholco-beepboop-bot/agentwatch' })),
    openAboutTarget: (target) => answer('openAboutTarget', target, () => ok({ error: '' })),
    pause: () => answer('pause', undefined, () => setPhase('paused')),
    resume: () => answer('resume', undefined, () => setPhase('idle')),
    runOnce: () =>
      answer('runOnce', undefined, () => ok({ ok: true, sessions: 4, events: 6, delivered: 6, durationMs: 212 })),
    testGateway: (input) =>
      answer('testGateway', input, () => ok({ ok: false, message: 'No fake answer configured.' })),
    testAgentWatch: (input) =>
      answer('testAgentWatch', input, () => ok({ ok: false, message: 'No fake answer configured.' })),
    testAlert: (input) =>
      answer('testAlert', input, () => ok({ ok: false, message: 'No fake answer configured.' })),
    copyDiagnostics: () =>
      answer('copyDiagnostics', undefined, () => ok({ text: 'agentwatch-sync diagnostics\nversion 0.1.0\ntoken: [redacted]' })),
    usageByHour: (hours) =>
      answer('usageByHour', hours, () => {
        const hourMs = 3_600_000;
        const current = Math.floor(Date.now() / hourMs) * hourMs;
        return ok((init.usage ?? []).map((u) => ({ hour: current - u.hoursAgo * hourMs, agentId: u.agentId, tokens: u.tokens, costMicros: u.costMicros, unpriced: u.unpriced ?? 0 })));
      }),
    // A syntax error is judged by main in the real app; the fake answers the configured preview for anything else.
    previewFilter: (expression) =>
      answer('previewFilter', expression, () => ok(init.preview ?? { ok: true, decisions: [] })),
    onStatus(listener) {
      record('onStatus');
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
})();
