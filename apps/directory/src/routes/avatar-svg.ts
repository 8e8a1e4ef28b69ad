const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!)
}

/** The first letter of a name, upper-cased; control characters (invalid in XML) are skipped. */
function initial(name: string): string {
  const first = Array.from(name.trim()).find((c) => !/\p{Cc}|\p{Cs}/u.test(c))
  return first === undefined ? '' : first.toLocaleUpperCase('en')
}

/** A stable hue per id (golden-angle steps), so neighbours in the list get distinct colours. */
function hueOf(id: number): number {
  return Math.round((id * 137.508) % 360)
}

/** A 128×128 SVG with the employee's initials, white on a colour derived from the id; no name inside. */
export function renderAvatarSvg(id: number, firstName: string, lastName: string): string {
  const text = escapeXml(initial(firstName) + initial(lastName))
  return [
    '<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128" role="img">',
    `<rect width="128" height="128" fill="hsl(${hueOf(id)} 45% 38%)"/>`,
    '<text x="64" y="64" dy=".35em" text-anchor="middle" font-family="system-ui, sans-serif" font-size="52" fill="#fff">',
    `${text}</text></svg>`,
  ].join('')
}
