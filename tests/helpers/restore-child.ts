/** A process that restores a backup into a data folder again and again, killed by tests/electron/core/backup.test.ts. */
import { restoreFiles } from '../../electron/core/backup';

const [dataDir, backupDir, keyHex] = process.argv.slice(2) as [string, string, string];
void (async () => {
  for (;;) await restoreFiles(dataDir, backupDir, new Date(), Buffer.from(keyHex, 'hex'));
})();
