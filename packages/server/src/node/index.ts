export { loadMasterSecrets, type MasterSecretSource } from './master-secret-file.ts'
