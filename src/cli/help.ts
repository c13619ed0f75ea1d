export const HELP = `agentwatch-sync — sync OpenClaw gateway sessions into the AgentWatch dashboard

Usage:
  agentwatch-sync [sync] [options]     poll the gateway every --poll-interval seconds and deliver to AgentWatch
  agentwatch-sync --once [options]     one poll, then exit (0 = delivered, 1 = failed)
  agentwatch-sync demo [--polls N]     simulated gateway + local AgentWatch on loopback, the real engine between
  agentwatch-sync backfill --since DAY [--until DAY]
                                       deliver past usage of those UTC days once (ledger-aware: a rerun sends nothing new)

Options (flags > environment > --config file > defaults):
  --openclaw-url URL       OpenClaw gateway (default http://127.0.0.1:18789; http→ws, https→wss)
  --agentwatch-url URL     AgentWatch API (default http://localhost:8765)
  --poll-interval SEC      seconds between polls, 5..86400 (default 30)
  --log-level LEVEL        DEBUG | INFO | WARNING | ERROR (default INFO); DEBUG prints every filter decision
  --once                   run one poll and exit
  --sink KIND              auto | agentwatch | seed | jsonl | otlp (default auto: read /openapi.json)
  --output PATH            jsonl sink target file, or - for stdout (default -)
  --otlp-url URL           otlp sink: OTLP/HTTP collector; spans go to URL/v1/traces (default http://127.0.0.1:4318)
  --token-file PATH        file holding the gateway token
  --token TOKEN            the gateway token itself — visible to other users in \`ps\`; prefer --token-file
                           or OPENCLAW_GATEWAY_TOKEN. Lookup order: --token / --token-file,
                           OPENCLAW_GATEWAY_TOKEN, ~/.openclaw/openclaw.json (gateway.auth.token)
  --api-key-file PATH      optional AgentWatch API key (sent as Authorization: Bearer); or AGENTWATCH_API_KEY
  --state-dir DIR          ledger + outbox (default ~/.local/state/agentwatch-sync; AGENTWATCH_SYNC_STATE_DIR)
  --config FILE            JSON/JSON5 settings file (names secret files, never secrets); AGENTWATCH_SYNC_CONFIG
  --log-file PATH          also log to PATH, rotated at 5 MiB (keeps 3)
  --batch-size N           most events per request (default 50)
  --max-errors N           stop after N consecutive failed polls, 0 = never (default 10)
  --active-minutes N       pick up sessions active in the last N minutes (default 30)
  --min-tokens N           skip sessions with fewer lifetime input+output tokens (default 10)
  --classes LIST           session classes to sync (default main,subagent,group,channel,thread)
  --filter EXPR            filter expression replacing the three rules above, e.g.
                           'classification in (main, subagent) and not agentId = "ops" and tokens >= 10 and active < 30m'
  --outbox-max N           most undelivered events kept; beyond it the oldest are dropped and counted (default 100000)
  --request-timeout MS     deadline for every request (default 15000)
  --metrics-host ADDR      address the metrics server binds (default 127.0.0.1; 0.0.0.0 in containers)
  --device-identity MODE   auto (default: only for non-loopback gateways, which need pairing) | always | never
  --no-live                poll only; by default finished runs arrive live via sessions.subscribe
  --slack-webhook-file PATH    alerts to Slack: file holding an incoming-webhook URL; or AGENTWATCH_SLACK_WEBHOOK_URL
  --pagerduty-key-file PATH    alerts to PagerDuty (Events API v2): file holding the integration (routing) key;
                               or AGENTWATCH_PAGERDUTY_ROUTING_KEY
  --alert-failing-minutes N    alert when polls keep failing this long, 0 = at once (default 5); resolved on success
  --alert-session-tokens N     alert once when a session's lifetime tokens cross N (default off)
  --alert-session-usd USD      alert once when a session's cost crosses USD (default off)
  --alert-day-tokens N         alert once a day when today's tokens reach N (default off)
  --alert-day-usd USD          alert once a day when today's cost reaches USD (default off)
  -h, --help               this text
  -v, --version            print the version

Environment: AGENTWATCH_SYNC_OPENCLAW_URL, AGENTWATCH_SYNC_AGENTWATCH_URL, AGENTWATCH_SYNC_POLL_INTERVAL,
  AGENTWATCH_SYNC_SINK, AGENTWATCH_SYNC_OTLP_URL, AGENTWATCH_SYNC_LOG_LEVEL, AGENTWATCH_SYNC_TOKEN_FILE,
  AGENTWATCH_SYNC_API_KEY_FILE, AGENTWATCH_SYNC_METRICS_PORT, AGENTWATCH_SYNC_METRICS_HOST, AGENTWATCH_SYNC_STATE_DIR,
  AGENTWATCH_SYNC_CONFIG, AGENTWATCH_SYNC_SLACK_WEBHOOK_FILE, AGENTWATCH_SYNC_PAGERDUTY_KEY_FILE, OPENCLAW_GATEWAY_TOKEN,
  AGENTWATCH_API_KEY, AGENTWATCH_SLACK_WEBHOOK_URL, AGENTWATCH_PAGERDUTY_ROUTING_KEY.
Exit codes: 0 ok · 1 sync failed (e.g. --max-errors reached) · 2 bad flag, setting or config.
`;
