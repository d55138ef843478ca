import { open, rename, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a download to `file` under a temporary name beside it, renamed to `file` only
 * once the whole of it has arrived and reached the disk: a cut or interrupted download
 * leaves no file that looks complete (and an older `file` untouched). The file is
 * readable by its owner only: exports hold students' personal data.
 *
 * @example await saveDownload('events.csv', response.body, (chunk) => progress.add(chunk.length));
 */
export async function saveDownload(file: string, chunks: AsyncIterable<Uint8Array>, onChunk: (chunk: Uint8Array) => void): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.part`);
  const handle = await open(temp, 'wx', 0o600);
  // Ctrl-C mid-download: remove the part, then stop as an interrupted program does.
  const interrupted = () => {
    rmSync(temp, { force: true });
    process.exit(130);
  };
  process.once('SIGINT', interrupted);
  try {
    for await (const chunk of chunks) {
      await handle.write(chunk);
      onChunk(chunk);
    }
    await handle.sync();
    await handle.close();
    await rename(temp, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  } finally {
    process.off('SIGINT', interrupted);
  }
}
