// A JSON number as the grammar allows it, anchored at the scan position.
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/**
 * `JSON.parse`, except that every number comes back as its source text ("0.000001234567890123456789"),
 * so that a price is never rounded through a float on its way in. Invalid JSON still throws SyntaxError.
 * Note: Node 20's JSON.parse reviver does not see the source text yet, hence this scan.
 */
export function parseJsonNumbersAsText(text: string): unknown {
  let out = '';
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') {
      i = endOfString(text, i);
      continue;
    }
    if (char === '-' || (char >= '0' && char <= '9')) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (match) {
        out += `${text.slice(from, i)}"${match[0]}"`;
        i += match[0].length;
        from = i;
        continue;
      }
    }
    i++;
  }
  return JSON.parse(out + text.slice(from));
}

/** The index just past the closing quote of the string that opens at `start`. */
function endOfString(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length) {
    const char = text[i];
    if (char === '\\') i += 2;
    else if (char === '"') return i + 1;
    else i++;
  }
  return i;
}
