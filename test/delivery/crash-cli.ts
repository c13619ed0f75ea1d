// The real CLI with a kill switch: SIGKILLs itself at the milestone named by CRASH_AT, after passing it CRASH_SKIP
// times. Bundled and spawned by crash-scenario.ts; the shipped CLI (src/cli/main.ts) has no such switch.
import { runCli } from '../../src/cli/run-cli.js';
import type { Milestone } from '../../src/sync/milestone.js';

const at = process.env.CRASH_AT as Milestone | undefined;
let skip = Number(process.env.CRASH_SKIP ?? 0);

void runCli(process.argv.slice(2), {
  ...(at
    ? {
        onMilestone: (name: Milestone) => {
          if (name === at && skip-- <= 0) process.kill(process.pid, 'SIGKILL');
        },
      }
    : {}),
});
