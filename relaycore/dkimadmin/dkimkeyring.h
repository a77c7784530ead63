// DKIM keys as the administrator manages them (mailroutectl dkim, the
// console's Mail authentication section): generate, rotate, remove, the
// records to publish, and the promotion of pending keys at push time. One
// implementation for both front ends. The private key goes to its own file
// (DOMAIN.SELECTOR.pem, mode 0600, in the 0700 folder dkim/ beside the
// database), never to the database, a log or a command line.
//
// Key files and rollback: a generation names the files of its keys, and a
// rollback may make any stored generation active again. So removing a key
// deletes its file only when no stored generation names it (a key never
// pushed); otherwise the file stays, and a selector whose file still exists is
// never reused for a new key. Runs on the thread that owns the ConfigStore.
#pragma once

#include "relaycore/readiness/dkimrecordcheck.h"
#include "relaycore/routing/configdata.h"
#include "relaycore/routing/result.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

class ConfigStore;

struct DkimRemoval
{
    DkimKey key;
    bool fileDeleted = false; // false: a stored generation still names it (rollback)
};

// What a push did with a pending key after looking for its record.
struct DkimPromotion
{
    DkimRecordStatus status;
    bool activated = false;
    QString message; // one line for the administrator
};

class DkimKeyring final
{
public:
    explicit DkimKeyring(ConfigStore &store);

    static QString keyDirectory(const QString &databasePath); // <folder of the database>/dkim
    QString keyFilePath(const QString &domain, const QString &selector) const;
    // "mr" and the UTC date: mr20261206.
    static QString defaultSelector(const QDateTime &now = QDateTime::currentDateTimeUtc());

    // A new key for `domain` (selector empty: the default, made unique). The
    // domain's first key is active, a key beside an active one pending. A
    // selector the domain has, or whose key file exists, is refused.
    Result<DkimKey> generate(const QString &domain, const QString &selector = {},
                             DkimAlgorithm algorithm = DkimAlgorithm::Rsa2048);
    // A pending key under a new default selector, with the active key's
    // algorithm; refused without an active key or with a pending one already.
    Result<DkimKey> rotate(const QString &domain);
    Result<DkimRemoval> remove(const QString &domain, const QString &selector);

    // The keys whose records should be in DNS: active and pending (selector
    // empty) or the one named.
    Result<QList<DkimKey>> publishedKeys(const QString &domain, const QString &selector = {}) const;

    // After a DkimRecordCheck of the pending keys: each whose record is
    // published becomes active (its domain's active key retires).
    QList<DkimPromotion> promote(const QList<DkimRecordStatus> &checked);
    static QList<DkimKey> pendingKeys(const QList<DkimKey> &keys);

    // "SELECTOR._domainkey.DOMAIN<TAB>v=DKIM1; k=rsa; p=..." (the value unsplit).
    static QString recordLine(const DkimKey &key);
    static QString recordValue(const DkimKey &key);
    // SELECTOR._domainkey.DOMAIN. IN TXT ( "..." "..." ): strings of at most 255 octets.
    static QString zoneLine(const DkimKey &key);

private:
    Result<QString> uniqueSelector(const QString &domain, const QList<DkimKey> &existing) const;

    ConfigStore &m_store;
    QString m_directory;
};

} // namespace mailroute
