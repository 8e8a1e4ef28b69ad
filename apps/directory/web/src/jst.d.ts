/** Underscore templates, precompiled at build time by `src/front-end/underscore-templates.ts`. */
declare module '*.jst' {
  /** Renders the template; every value is HTML-escaped (`<%- %>` is the only output tag allowed). */
  export const template: (data?: object) => string
}
