import { after, describe } from 'node:test';
import { cleanUpDatabases, ENGINES, type TestEngine } from './engines.js';

/**
 * Declares the same suite once per engine; an engine that is unreachable here (and not
 * required by CI) is skipped with the reason printed.
 */
export async function describeEachEngine(title: string, suite: (engine: TestEngine) => void): Promise<void> {
  for (const engine of ENGINES) {
    const available = await engine.available();
    await describe(`${title} [${engine.name}]`, { skip: available ? false : `${engine.name} unreachable` }, () => {
      suite(engine);
      after(cleanUpDatabases);
    });
  }
}
