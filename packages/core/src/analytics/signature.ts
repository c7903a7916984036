/**
 * Normalises an error message into a signature: what stays when the parts
 * that differ between occurrences (ids, numbers, hosts, paths, quoted
 * values) are taken out, so one cause counts as one pattern.
 *
 * @public
 */
export function failureSignature(message: string): string {
  return (
    message
      // JSON bodies and other quoted text vary with the rows sent.
      .replace(/\{[^{}]*\}/g, '{…}')
      .replace(/"[^"]*"/g, '"…"')
      .replace(/'[^']*'/g, "'…'")
      .replace(/\bhttps?:\/\/[^\s,;)]+/gi, '<url>')
      .replace(
        /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
        '<id>',
      )
      .replace(/\b[\w.+-]+@[\w-]+(\.[\w-]+)+\b/g, '<email>')
      .replace(/\b\d{1,3}(\.\d{1,3}){3}(:\d+)?\b/g, '<host>')
      .replace(/\b([a-z0-9-]+\.)+[a-z]{2,}(:\d+)?\b/gi, '<host>')
      .replace(/(^|[\s(])(\/[\w.@-]+){2,}\/?/g, '$1<path>')
      .replace(/\b[0-9a-f]{16,}\b/gi, '<id>')
      .replace(/\d+(\.\d+)?/g, '<n>')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 500)
  );
}
