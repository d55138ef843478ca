let canvas: CanvasRenderingContext2D | null | undefined;

/**
 * `text` cut to fit `width` px in `font`, with "…" where cut, or '' when not one character
 * fits. SVG text has no text-overflow: the timeline measures its labels itself.
 */
export function fitText(text: string, width: number, font: string): string {
  canvas ??= document.createElement('canvas').getContext('2d');
  const context = canvas;
  if (context === null) return text;
  context.font = font;
  const fits = (shown: string) => context.measureText(shown).width <= width;
  if (fits(text)) return text;
  // The longest start that fits with its ellipsis, found by halving: a name can be long.
  const chars = Array.from(text);
  const cut = (n: number) => `${chars.slice(0, n).join('').trimEnd()}…`;
  let low = 0;
  let high = chars.length - 1;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (fits(cut(middle))) low = middle;
    else high = middle - 1;
  }
  return low === 0 ? '' : cut(low);
}
