// The project page the About section links to: AgentWatch, the dashboard this app feeds (package.json names no
// homepage of its own).
export const PROJECT_URL = 'https://github.com/jrholco-beepboop-bot/agentwatch';
