/** An existing address made to look the same: each draws exactly like `ada@example.com`. */
export const LOOK_ALIKES: Readonly<Record<string, string>> = {
  'zero-width space': 'ada\u200b@example.com',
  'zero-width non-joiner': 'a\u200cda@example.com',
  'zero-width joiner': 'ad\u200da@example.com',
  'soft hyphen': 'ada@exam\u00adple.com',
  'byte order mark': '\ufeffada@example.com',
  'word joiner': 'ada@example\u2060.com',
  'left-to-right mark': 'ada\u200e@example.com',
  'right-to-left override': 'ada@\u202eexample.com',
  'bidi isolate': 'ada@\u2066example.com',
  'variation selector': 'ada\ufe0f@example.com',
  'tag character': 'ada@example.com\u{e0041}',
  'Mongolian vowel separator': 'ada\u180e@example.com',
  'C1 control': 'ada\u0085@example.com',
  'trailing dot in the domain': 'ada@example.com.',
}
