/**
 * A small well-formedness check for the SVG the reporters write (no XML parser is a dependency):
 * every tag is closed in order, attributes are quoted, and text has no bare `<` or `&`.
 */
import { expect } from 'vitest';

export function expectWellFormedSvg(text: string): void {
  const open: string[] = [];
  const tag = /<(\/?)([a-zA-Z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let position = 0;
  let roots = 0;
  while (position < text.length) {
    const next = text.indexOf('<', position);
    const chunk = text.slice(position, next === -1 ? text.length : next);
    expect(chunk, `bare ampersand near ${position}`).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    if (next === -1) break;
    tag.lastIndex = next;
    const match = tag.exec(text);
    expect(match, `malformed tag at ${next}: ${text.slice(next, next + 60)}`).not.toBeNull();
    const [whole, closing, name, , selfClosing] = match!;
    if (closing) expect(open.pop(), `</${name}> closes the wrong element`).toBe(name);
    else if (!selfClosing) {
      if (open.length === 0) roots++;
      open.push(name!);
    } else if (open.length === 0) roots++;
    position = next + whole.length;
  }
  expect(open).toEqual([]);
  expect(roots).toBe(1);
}
