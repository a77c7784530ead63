// A confirmation email to relay.postmaster (docs/behaviour.md
// "Confirmations"): what a push or a user-list upload
// asks for, written by ConfigStore into the configuration database inside
// the push's (or upload's) own transaction, and sent later by whichever
// process runs the relay (GenerationFollower reads it, RelayEngine spools
// it). A value; pure.
#pragma once

#include "relaycore/routing/configdata.h"
#include "relaycore/routing/configdiff.h"

#include <QDateTime>
#include <QMap>
#include <QString>

#include <optional>

namespace mailroute {

struct ConfirmationRequest
{
    QString key;     // where it is stored ("confirmation:<ms>:<n>"), oldest first
    QDateTime time;  // when the push or upload happened (UTC)
    QString subject; // ASCII
    QString body;    // plain text, LF line ends

    // relay.confirmations of these (explicit) settings: auto (the default)
    // asks for them when relay.postmaster is set, on always, off never.
    static bool wanted(const QMap<QString, QString> &settings);

    // The most diff lines a confirmation lists; the rest are counted.
    static constexpr int kMaxDiffLines = 200;
    static ConfirmationRequest forPush(qint64 generation, qint64 domains, qint64 users,
                                       const ConfigDiff &diff, const QDateTime &time);
    static ConfirmationRequest forUpload(Area area, qint64 rows, qint64 added, qint64 changed, qint64 removed,
                                         const QDateTime &time);

    QString toJson() const;
    static std::optional<ConfirmationRequest> fromJson(const QString &key, const QString &json);
};

} // namespace mailroute
