import { CliError, ExitCode } from './exit-codes.js';

/** The service's own reading of DATABASE_URL (its checks, its default), for the commands that open the database here. */
export async function checkedDatabaseUrl(raw: string | undefined): Promise<string> {
  const { ConfigError, loadConfig } = await import('../config.js');
  try {
    return loadConfig({ DATABASE_URL: raw }).databaseUrl;
  } catch (error) {
    if (error instanceof ConfigError) throw new CliError(error.message, ExitCode.usage);
    throw error;
  }
}

/** The database's address without its password. */
export function shown(databaseUrl: string): string {
  if (!URL.canParse(databaseUrl) || databaseUrl.startsWith('sqlite:')) return databaseUrl;
  const url = new URL(databaseUrl);
  if (url.password !== '') url.password = '***';
  return url.toString();
}

export const DATABASE_URL_HELP = 'sqlite:<path> or postgres://… (DATABASE_URL; default sqlite:data/session-log.db)';
