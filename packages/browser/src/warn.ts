let warned = false;

/** Tells the developer, once per page, that logging has a problem; never the student. */
export function warn(message: unknown): undefined {
  if (!warned) console.warn(`[session-log] ${String(message)}`);
  warned = true;
}
