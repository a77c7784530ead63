// The end of a project (`mailroutectl purge --all --yes`, the console's
// File ▸ Purge Project Data…): wipes what MailRoute kept about the mail that
// passed and the credentials it made, for one configuration database:
// - the message log and the action log (every row), the domain holds;
// - the spool (queued mail included), refused while a relay runs on it;
// - the key and certificate files MailRoute generated beside the database:
//   the DKIM keys the dkim_keys rows name (dkim/, rows deleted too) and the
//   self-signed pairs of tls/ (<host>.crt, <host>.key); other files there stay;
// - MailRoute's keychain entries for this database (smarthost.password,
//   tls.key_passphrase).
// The routing configuration (mappings, settings, pushed generations) stays:
// delete the database file for that (tls.certificate / tls.key settings that
// named a removed file are reset). Runs on the caller's thread.
#pragma once

#include "relaycore/routing/result.h"

#include <QString>
#include <QStringList>

namespace mailroute {

class SecretStore;

struct PurgePlan
{
    QString databasePath;
    QString spoolDirectory;
    qint64 messageLogEntries = 0;
    qint64 actionLogEntries = 0;
    qint64 holds = 0;
    qint64 dkimKeys = 0;
    qint64 queuedMessages = 0;
    QStringList spoolFiles; // absolute paths
    QStringList keyFiles;   // absolute paths (dkim/ and tls/)
    QStringList secrets;    // keychain entry names
    bool relayRunning = false;

    // What would be deleted, one line each, for the admin.
    QStringList describe() const;
};

class ProjectPurge final
{
public:
    static Result<PurgePlan> plan(const QString &databasePath, const QString &spoolDirectory);
    // Deletes what `plan` lists. Refuses while a relay holds the spool.
    // `secrets` null: the keychain is not touched (and that is an error).
    // Goes on after a failed step; the error names every step that failed.
    static Status run(const PurgePlan &plan, SecretStore *secrets);
};

} // namespace mailroute
