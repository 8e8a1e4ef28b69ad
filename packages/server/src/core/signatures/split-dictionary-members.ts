const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN = 0x28
const CLOSE = 0x29
const COMMA = 0x2c
const OWS_EDGES = /^[ \t]+|[ \t]+$/g

/**
 * The raw text of each member value of an SF dictionary that already parsed successfully,
 * by key (a later duplicate key wins, as in RFC 8941 §4.2.2). Only commas outside strings
 * and inner lists separate members; tokens and byte sequences cannot contain either.
 */
export function splitDictionaryMembers(text: string): Map<string, string> {
  const members = new Map<string, string>()
  let start = 0
  let depth = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) inString = true
    else if (c === OPEN) depth++
    else if (c === CLOSE) depth--
    else if (c === COMMA && depth === 0) {
      addMember(members, text.slice(start, i))
      start = i + 1
    }
  }
  addMember(members, text.slice(start))
  return members
}

function addMember(members: Map<string, string>, raw: string): void {
  const member = raw.replace(OWS_EDGES, '')
  const eq = member.indexOf('=')
  if (eq > 0) members.set(member.slice(0, eq), member.slice(eq + 1))
}
