let warned = false;

/** Tells the developer, once per page, that logging has a problem; never the student. */
export function warn(message: string): void {
  if (!warned) console.warn(`[session-log] ${message}`);
  warned = true;
}
