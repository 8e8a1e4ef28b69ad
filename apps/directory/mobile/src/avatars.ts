import type { TesseraClient } from '@tessera/client'

/**
 * Avatars are served to signed-in callers only, and this client signs its requests instead of
 * holding a cookie, so a plain `<img src>` on the API would be refused. Templates write
 * `<img data-avatar="/avatars/7.svg">`; this fetches each picture through the client (signed)
 * and shows it from a `blob:` URL, once per path while the user stays signed in.
 */
export interface AvatarLoader {
  /** Drops every picture (revoking its URL): called at logout, so the next user starts clean. */
  forget(): void
}

export function watchAvatars(client: TesseraClient, root: HTMLElement): AvatarLoader {
  const pictures = new Map<string, Promise<string>>()
  const picture = (path: string): Promise<string> => {
    let url = pictures.get(path)
    if (url === undefined) {
      url = client.fetch(path).then(async (response) => URL.createObjectURL(await response.blob()))
      url.catch(() => pictures.delete(path))
      pictures.set(path, url)
    }
    return url
  }
  const show = (node: Node) => {
    if (!(node instanceof HTMLElement)) return
    const images = node.matches('img[data-avatar]') ? [node] : node.querySelectorAll('img[data-avatar]')
    for (const img of images as Iterable<HTMLImageElement>) {
      picture(img.dataset.avatar ?? '').then(
        (url) => {
          img.src = url
        },
        () => {},
      )
    }
  }
  new MutationObserver((changes) => {
    for (const change of changes) change.addedNodes.forEach(show)
  }).observe(root, { childList: true, subtree: true })
  show(root)
  return {
    forget() {
      for (const url of pictures.values()) url.then(URL.revokeObjectURL, () => {})
      pictures.clear()
    },
  }
}
