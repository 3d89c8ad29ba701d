import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Default spec directory: the shared copy next to the repository. */
export const DEFAULT_SPECS = resolve(REPO_ROOT, '..', 'shared', 'kafka-message-specs');
export const MESSAGES_DIR = join(REPO_ROOT, 'src', 'protocol', 'messages');
