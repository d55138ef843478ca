/** Limits on a free-form JSON value that JSON Schema cannot express. */
export interface JsonLimits {
  maxDepth: number;
  maxBytes: number;
}

export const EVENT_DATA_LIMITS: JsonLimits = { maxDepth: 32, maxBytes: 64 * 1024 };

export interface JsonProblem {
  message: string;
  /** The value is too large, as opposed to malformed: answered with 413. */
  tooLarge: boolean;
}

/**
 * Returns why `value` cannot be stored and read back exactly on every engine, or null.
 * Iterative, so a hostile nesting depth cannot overflow the stack.
 */
export function findJsonProblem(value: unknown, limits: JsonLimits): JsonProblem | null {
  const shapeProblem = findShapeProblem(value, limits);
  if (shapeProblem !== null) return { message: shapeProblem, tooLarge: false };
  if (Buffer.byteLength(JSON.stringify(value)) > limits.maxBytes) {
    return { message: `is larger than ${limits.maxBytes / 1024} KB`, tooLarge: true };
  }
  return null;
}

function findShapeProblem(value: unknown, limits: JsonLimits): string | null {
  const stack: Array<{ node: unknown; depth: number }> = [{ node: value, depth: 0 }];
  for (let item = stack.pop(); item !== undefined; item = stack.pop()) {
    const { node, depth } = item;
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem !== null) return problem;
    } else if (typeof node === 'number' && !Number.isFinite(node)) {
      return 'has a number beyond double precision';
    } else if (node !== null && typeof node === 'object') {
      if (depth >= limits.maxDepth) return `is nested deeper than ${limits.maxDepth} levels`;
      for (const [key, child] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem !== null) return `key ${problem}`;
        stack.push({ node: child, depth: depth + 1 });
      }
    }
  }
  return null;
}

/** Why a string cannot be stored and read back exactly on every engine, or null. */
export function textProblem(text: string): string | null {
  if (text.includes('\u0000')) return 'contains a NUL character (\\u0000), which cannot be stored';
  if (!text.isWellFormed()) return 'contains an unpaired UTF-16 surrogate';
  return null;
}
