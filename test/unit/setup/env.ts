import { mkdtempSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

// n8n-core writes an encryption key into <user folder>/.n8n/config on first use: keep it out of $HOME.
process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'n8n-unit-'));
process.env.N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS = 'false';
process.env.N8N_RESTRICT_FILE_ACCESS_TO = '';
process.env.N8N_LOG_LEVEL = 'silent';
