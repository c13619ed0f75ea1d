import './zod-jitless.js';
import type { RendererApi } from '../shared/renderer-api.js';
import type { SyncStatus } from '../shared/sync-status.js';
import { AboutSection } from './about-section.js';
import { AlertsSection, renderAlertsSection } from './alerts-section.js';
import { getApi, unwrap } from './api.js';
import { wireConnectionTests } from './connection-tests.js';
import { byId, errorText } from './dom.js';
import { FieldErrorsView } from './field-errors.js';
import { FilterEditor } from './filter-editor.js';
import { FilterPreviewList } from './filter-preview-list.js';
import { SaveFlow } from './save-flow.js';
import { SectionNav } from './section-nav.js';
import { renderSettingFields } from './setting-fields.js';
import { SettingsForm } from './settings-form.js';
import { StatusPanel } from './status-panel.js';
import { SyncControls } from './sync-controls.js';
import { UsageChart } from './usage-chart.js';
import { usageSeries } from './usage-series.js';

// Composition root of the settings window: every module gets the document and the preload API passed in.

// A status turns stale with time, not with a push: the panel judges the last one again on this beat (the tray's).
const STATUS_RECHECK_MS = 15_000;

async function start(doc: Document, api: RendererApi, now: () => number): Promise<void> {
  renderAlertsSection(doc);
  renderSettingFields(doc);
  const form = new SettingsForm(doc, [new AlertsSection(doc, api)]);
  const panel = new StatusPanel(doc);
  const filter = new FilterEditor(doc, {
    api,
    list: new FilterPreviewList(doc),
    later: (ms, fn) => {
      const timer = window.setTimeout(fn, ms);
      return () => window.clearTimeout(timer);
    },
    hasPolled: () => (panel.status?.lastSuccessAt ?? null) !== null,
  });
  let loaded = false;
  const saveFlow = new SaveFlow(doc, api, form, new FieldErrorsView(form.element, byId(doc, 'form-errors')), now, () => {
    loaded = true;
    filter.refresh();
  });
  const chart = new UsageChart(doc);
  let chartedPoll = -1;

  const refreshChart = async (): Promise<void> => {
    try {
      chart.render(usageSeries(await unwrap(api.usageByHour(24)), now()));
    } catch (error) {
      byId(doc, 'usage-empty').textContent = `Usage is unavailable: ${errorText(error)}`;
    }
  };
  const controls = new SyncControls(doc, api, panel, (s) => showStatus(s));
  const about = new AboutSection(doc, api);
  function showStatus(s: SyncStatus): void {
    panel.render(s, now());
    about.render(s);
    controls.render(s);
    if (s.pollCount !== chartedPoll && s.phase !== 'polling') {
      chartedPoll = s.pollCount;
      void refreshChart();
      // A finished poll brings new sessions to judge.
      if (loaded) filter.refresh();
    }
  }
  wireConnectionTests(doc, api, form);
  new SectionNav(doc);

  // Subscribe before asking, so no push is missed; a push that lands first is newer than the answer.
  let pushed = false;
  api.onStatus((s) => {
    pushed = true;
    showStatus(s);
  });
  const [view, status, info] = await Promise.all([unwrap(api.getSettings()), unwrap(api.getStatus()), unwrap(api.about())]);
  saveFlow.load(view);
  about.show(info, panel.status ?? status);
  if (!pushed) showStatus(status);
  window.setInterval(() => {
    if (panel.status) panel.render(panel.status, now());
  }, STATUS_RECHECK_MS);
  doc.body.dataset['ready'] = 'true';
}

function fail(doc: Document, error: unknown): void {
  const box = byId(doc, 'fatal');
  box.hidden = false;
  box.textContent = errorText(error);
  doc.body.dataset['ready'] = 'error';
}

try {
  void start(document, getApi(window), () => Date.now()).catch((error: unknown) => fail(document, error));
} catch (error) {
  fail(document, error);
}
