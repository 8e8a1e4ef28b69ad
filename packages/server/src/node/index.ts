export { createFileMailer, type FileMailerOptions } from './file-mailer.ts'
export { type MailerFromEnvOptions, mailerFromEnv } from './mailer-from-env.ts'
export { loadMasterSecrets, type MasterSecretSource } from './master-secret-file.ts'
export { createSmtpMailer, type SmtpMailerOptions } from './smtp-mailer.ts'
