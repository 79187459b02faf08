/**
 * The few facts only the desktop shell keeps, in desktop.json next to the database: whether the
 * first-run port choice happened (so later runs never hop) and the user's explicit opt-in to
 * store keys without an OS keyring. They are not engine settings, so they stay out of SQLite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const prefsSchema = z.object({
  portChosen: z.boolean().default(false),
  insecureStorageOptIn: z.boolean().default(false),
});

export type DesktopPrefs = z.infer<typeof prefsSchema>;

export interface DesktopPrefsStore {
  get(): DesktopPrefs;
  update(patch: Partial<DesktopPrefs>): DesktopPrefs;
}

export function createDesktopPrefs(options: { file: string; onInvalid?: (error: unknown) => void }): DesktopPrefsStore {
  let prefs = read(options.file, options.onInvalid);
  return {
    get: () => ({ ...prefs }),
    update(patch) {
      prefs = { ...prefs, ...patch };
      fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
      const temporary = `${options.file}.tmp`;
      fs.writeFileSync(temporary, `${JSON.stringify(prefs, null, 2)}\n`, { mode: 0o600 });
      fs.renameSync(temporary, options.file);
      return { ...prefs };
    },
  };
}

function read(file: string, onInvalid?: (error: unknown) => void): DesktopPrefs {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    // No file yet: the first run.
    return prefsSchema.parse({});
  }
  try {
    return prefsSchema.parse(JSON.parse(text));
  } catch (error) {
    // A damaged file falls back to the safe defaults (no opt-in); the caller logs it.
    onInvalid?.(error);
    return prefsSchema.parse({});
  }
}
