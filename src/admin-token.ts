import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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
  if (fs.existsSync(file)) return { token: fs.readFileSync(file, 'utf8').trim(), generated: false, file };
  fs.mkdirSync(dataDir, { recursive: true });
  const token = `slk_${randomBytes(24).toString('base64url')}`;
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600, flag: 'wx' });
  return { token, generated: true, file };
}
