import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Database, openDatabase, type SqlDialect } from '@tessera/server/db'
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify'
import { type FreshDatabase, freshDatabase } from '../../../../test/support/databases.ts'
import { loadAuthSettings } from '../auth-settings.ts'
import { buildApp } from '../build-app.ts'
import type { DirectoryConfig } from '../config.ts'
import { migrateDirectory } from '../db/directory-migrations.ts'
import type { DirectoryTables } from '../db/directory-tables.ts'
import { EmployeeRepository } from '../employees/employee-repository.ts'
import type { EmployeeInput } from '../employees/employee-types.ts'
import { DEFAULT_HTTP_TIMEOUTS } from '../http-timeouts.ts'
import type { DirectoryGuards } from '../routes/register-directory-routes.ts'
import { seedEmployees } from '../seed-employees.ts'

export const PROBLEM_JSON = 'application/problem+json; charset=utf-8'

export function testConfig(databaseUrl: string, overrides: Partial<DirectoryConfig> = {}): DirectoryConfig {
  return {
    port: 0,
    host: '127.0.0.1',
    databaseUrl,
    bodyLimit: 64 * 1024,
    logLevel: 'silent',
    mobilePort: undefined,
    timeouts: DEFAULT_HTTP_TIMEOUTS,
    // Development mails of tests go to the temp folder, never to the repository's data/mail/.
    auth: {
      ...loadAuthSettings({ TESSERA_SECRET: 'ab'.repeat(32) }),
      dataDir: join(tmpdir(), 'tessera-test-data'),
    },
    ...overrides,
  }
}

export interface DirectoryFixture {
  app: FastifyInstance
  database: Database<DirectoryTables>
  repository: EmployeeRepository
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>
  /** Every employee row, by id: compare before and after a request that must change nothing. */
  snapshot(): Promise<unknown[]>
  close(): Promise<void>
}

/** A real, migrated and seeded database of the dialect, and the app over it (guards open by default). */
export async function openDirectoryFixture(
  dialect: SqlDialect,
  guards?: DirectoryGuards,
): Promise<DirectoryFixture> {
  const fresh: FreshDatabase = await freshDatabase(dialect)
  const database = openDatabase<DirectoryTables>(fresh.url)
  await migrateDirectory(database.kysely as never)
  const repository = new EmployeeRepository(database.kysely)
  await seedEmployees(repository)
  const app = await buildApp({ database, config: testConfig(fresh.url), guards, logger: false })
  return {
    app,
    database,
    repository,
    inject: (options) => app.inject(options),
    snapshot: () => database.kysely.selectFrom('employee').selectAll().orderBy('id').execute(),
    async close() {
      await app.close()
      await database.close()
      await fresh.drop()
    },
  }
}

/** A valid body for POST/PUT; override what the test is about. */
export function newEmployee(overrides: Partial<EmployeeInput> = {}): EmployeeInput {
  return {
    firstName: 'Wren',
    lastName: 'Halvorsen',
    title: 'Data Engineer',
    department: 'Engineering',
    city: 'Oslo',
    managerId: 6,
    officePhone: '+47 22 55 01 99',
    cellPhone: null,
    email: 'wren.halvorsen@example.com',
    ...overrides,
  }
}
