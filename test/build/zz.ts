import { scanOffline } from './electronegativity-scan.js';
const t = performance.now();
const r = await scanOffline('/tmp/scan', '45.5.0');
console.log(r.files, r.checks, r.parseErrors, Math.round(performance.now() - t));
for (const f of r.findings) console.log(f.severity, f.confidence, f.id, f.file.replace('/tmp/scan/',''), f.line, f.manualReview);
