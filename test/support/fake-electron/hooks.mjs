// ESM resolve hook: the bare specifier `electron` becomes our fake, so no test ever loads the real package
// (its index downloads a binary on first use).
const fakeUrl = new URL('./index.ts', import.meta.url).href;

export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'electron') return { url: fakeUrl, shortCircuit: true };
  return nextResolve(specifier, context);
}
