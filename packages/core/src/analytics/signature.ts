/**
 * Normalises an error message into a signature: what stays when the parts
 * that differ between occurrences (ids, numbers, hosts, paths, quoted
 * values) are taken out, so one cause counts as one pattern.
 *
 * @public
 */
export function failureSignature(message: string): string {
  return (
    withoutJsonBodies(message)
      // Quoted text varies with the rows sent. A quote inside a word is an
      // apostrophe (doesn't), not the start of a value.
      .replace(/"[^"]*"/g, '"…"')
      .replace(/(^|[^\w'])'[^'\n]*'(?![\w'])/g, "$1'…'")
      .replace(/\bhttps?:\/\/[^\s,;)]+/gi, '<url>')
      // Before hosts, which would take a file name such as data.csv.
      .replace(/(^|[\s(])(\/[\w.@-]+){2,}\/?/g, '$1<path>')
      .replace(
        /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
        '<id>',
      )
      .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, '<email>')
      .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<host>')
      .replace(/\b([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?\b/gi, '<host>')
      .replace(/\b[0-9a-f]{16,}\b/gi, '<id>')
      .replace(/\d+(\.\d+)?/g, '<n>')
      // A list of rows is one value, however many rows it names.
      .replace(/<n>(,\s*<n>)+/g, '<n>')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 500)
  );
}

/**
 * JSON bodies vary with the rows sent. Innermost objects go first, until
 * a nested body is one `{…}`; a list of objects counts as one.
 */
function withoutJsonBodies(text: string): string {
  let folded = text;
  for (let before = ''; before !== folded; ) {
    before = folded;
    // A placeholder without braces, so the enclosing object matches next.
    folded = folded.replace(/\{[^{}]*\}/g, '\u0000');
  }
  return folded.replace(/\u0000(,\s*\u0000)*/g, '{…}');
}
