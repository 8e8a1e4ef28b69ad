/** Checked in order: Edge and Opera also say "Chrome", Chrome also says "Safari". */
const BROWSERS = [
  ['Edg/', 'Edge'],
  ['OPR/', 'Opera'],
  ['Firefox/', 'Firefox'],
  ['HeadlessChrome/', 'Headless Chrome'],
  ['Chrome/', 'Chrome'],
  ['Safari/', 'Safari'],
] as const

/** Android and ChromeOS also say "Linux", iPhones also say "Mac OS X". */
const SYSTEMS = [
  ['Android', 'Android'],
  ['iPhone', 'iPhone'],
  ['iPad', 'iPad'],
  ['Windows', 'Windows'],
  ['CrOS', 'ChromeOS'],
  ['Mac OS X', 'macOS'],
  ['Linux', 'Linux'],
] as const

/**
 * A credential's label as a person reads it: "Chrome on Linux" for a browser's User-Agent
 * (the server's default label), any other label (a key's name) as it is.
 */
export function deviceName(label: string): string {
  if (!label.startsWith('Mozilla/5.0')) return label
  const browser = BROWSERS.find(([token]) => label.includes(token))?.[1] ?? 'A browser'
  const system = SYSTEMS.find(([token]) => label.includes(token))?.[1]
  return system === undefined ? browser : `${browser} on ${system}`
}
