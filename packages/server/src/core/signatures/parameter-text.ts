const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN = 0x28
const CLOSE = 0x29
const SEMICOLON = 0x3b

/**
 * The raw text of each parameter value of an inner list that already parsed successfully
 * (`("@method" …);created=1764000000;nonce="…"`), by name. The parser answers a JS number for
 * both RFC 8941 Integers and Decimals, so only the text tells `1764000000` from
 * `1764000000.0`. Semicolons separate parameters outside strings; the inner list is skipped.
 */
export function parameterTexts(member: string): Map<string, string> {
  const texts = new Map<string, string>()
  let i = member.charCodeAt(0) === OPEN ? skipInnerList(member) : 0
  let start = -1
  for (; i <= member.length; i++) {
    const c = member.charCodeAt(i)
    if (c === QUOTE) i = skipString(member, i)
    else if (c === SEMICOLON || i === member.length) {
      if (start !== -1) addParameter(texts, member.slice(start, i))
      start = i + 1
    }
  }
  return texts
}

/** The index just after the closing parenthesis of the leading inner list. */
function skipInnerList(text: string): number {
  for (let i = 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) i = skipString(text, i)
    else if (c === CLOSE) return i + 1
  }
  return text.length
}

/** The index of the closing quote of the string opening at `open`. */
function skipString(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === BACKSLASH) i++
    else if (c === QUOTE) return i
  }
  return text.length
}

function addParameter(texts: Map<string, string>, raw: string): void {
  const parameter = raw.trimStart()
  const eq = parameter.indexOf('=')
  // A later duplicate wins, as in the parser (RFC 8941 §4.2.3.2); a bare key is Boolean true.
  if (eq === -1) texts.set(parameter, '?1')
  else texts.set(parameter.slice(0, eq), parameter.slice(eq + 1))
}
