import { DatabaseSync } from 'node:sqlite'

/**
 * Takes an exclusive lock on `file` for as long as this process holds it: an SQLite
 * `BEGIN EXCLUSIVE` on a file of its own, i.e. an OS file lock that the kernel releases when
 * the process dies, even by SIGKILL (no stale lock files). Throws when another connection, in
 * this process or any other, holds it. Answers the release.
 */
export function lockFile(file: string): () => void {
  const db = new DatabaseSync(file, { timeout: 0 })
  try {
    db.exec('PRAGMA locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    // Writing makes SQLite take the lock now rather than at the first statement that needs it.
    db.exec('CREATE TABLE IF NOT EXISTS held (at INTEGER)')
  } catch (error) {
    db.close()
    throw error
  }
  return () => {
    if (db.isOpen) db.close()
  }
}
