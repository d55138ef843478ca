import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, MIN_TOKEN_LENGTH } from './config.js';

export interface AdminToken {
  token: string;
  /** True when this call created the token: the only time it should be shown. */
  generated: boolean;
  file: string | undefined;
}

const TOKEN_FILE = 'admin-token';

/** The configured instructor token, else the one kept in dataDir, else a new one saved there. */
export function resolveAdminToken(configured: string | undefined, dataDir: string): AdminToken {
  if (configured !== undefined) return { token: configured, generated: false, file: undefined };
  const file = path.join(dataDir, TOKEN_FILE);
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim();
    // As for the variable: an empty or short file would let nobody in, or anybody.
    if (token.length < MIN_TOKEN_LENGTH) throw new ConfigError(file, `holds no instructor token of at least ${MIN_TOKEN_LENGTH} characters (delete it to have one made)`);
    return { token, generated: false, file };
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const token = `slk_${randomBytes(24).toString('base64url')}`;
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generated: true, file };
}
