// A node:test reporter that writes one JSON line per skipped test or suite ({ file, name, kind, reason }).
// scripts/test.mjs reads it to end the run with what did not run and how to enable it: a skipped describe() counts
// as one "skipped" in the spec summary however many tests it holds.
export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file, details } = event.data;
    if (skip === undefined || skip === false) continue;
    const kind = details?.type === 'suite' ? 'suite' : 'test';
    yield `${JSON.stringify({ file: file ?? '', name, kind, reason: typeof skip === 'string' ? skip : '' })}\n`;
  }
}
