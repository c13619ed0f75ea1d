import { z } from 'zod';

// Imported first by main.ts: zod's JIT probes `new Function`, which the window's CSP (no 'unsafe-eval') reports as a
// violation even when the error is caught. Must run before any module that parses at import time (shared/settings).
z.config({ jitless: true });
