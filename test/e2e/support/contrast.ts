/** WCAG 2.x contrast of two CSS colours as getComputedStyle reports them (rgb()/rgba(), opaque). */
export function contrastRatio(foreground: string, background: string): number {
  const [l1, l2] = [luminance(parseRgb(foreground)), luminance(parseRgb(background))];
  return (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
}

function parseRgb(color: string): [number, number, number] {
  const match = /rgba?\(\s*(\d+)[ ,]+(\d+)[ ,]+(\d+)(?:[ ,/]+([\d.]+))?\s*\)/.exec(color);
  if (!match) throw new Error(`Not an rgb() colour: ${color}`);
  if (match[4] !== undefined && Number(match[4]) < 1) throw new Error(`Translucent colour, contrast undefined: ${color}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function luminance([r, g, b]: [number, number, number]): number {
  const channel = (value: number) => {
    const c = value / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
}
