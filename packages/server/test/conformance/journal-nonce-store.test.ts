import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openSqlStores } from '../../../../test/support/sql-stores.ts'
import { JournalNonceStore } from '../../src/stores/journal/journal-nonce-store.ts'
import { SqlNonceStore } from '../../src/stores/sql/sql-nonce-store.ts'
import { nonceStoreSuite } from './nonce-store-suite.ts'

// SQLite files use the journal (create-sql-stores.ts); the table store stays for servers and for opting out.
nonceStoreSuite('the in-memory journal', async () => {
  const directory = mkdtempSync(join(tmpdir(), 'tessera-journal-'))
  const nonces = new JournalNonceStore(directory)
  return {
    stores: { nonces },
    async close() {
      await nonces.close()
      rmSync(directory, { recursive: true, force: true })
    },
  }
})

nonceStoreSuite('the SQLite nonce table (nonceJournal: false)', async () => {
  const opened = await openSqlStores('sqlite')
  return { stores: { nonces: new SqlNonceStore(opened.database.kysely) }, close: () => opened.close() }
})
