/**
 * Where to start a worker thread whose module is `name` beside `callerUrl` (the caller's
 * import.meta.url). Built, that is `name.js`. Under tsx (tests, npm run dev, the bench)
 * it is `name.ts`, and as a worker thread does not inherit tsx's loader (tsx issue
 * #354), a one-line bootstrap registers it first; tsx is a development dependency and
 * only then present.
 */
export function workerModule(name: string, callerUrl: string): URL {
  if (!callerUrl.endsWith('.ts')) return new URL(`./${name}.js`, callerUrl);
  const source = new URL(`./${name}.ts`, callerUrl);
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(source.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}
