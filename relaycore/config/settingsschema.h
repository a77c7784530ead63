// The known settings, their types, defaults and validation. Pure (QtCore and
// QHostAddress for CIDR parsing only); used by the store, mailroutectl and the
// console's settings page.
#pragma once

#include "relaycore/routing/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

enum class SettingType {
    String,       // free text, one line
    Hostname,     // a DNS host name (relay.hostname)
    Email,        // a mailbox, or empty
    Bool,         // true/false (also accepts yes/no/on/off/1/0; stored as true/false)
    Integer,      // with min/max
    Size,         // bytes; accepts 35M, 35MiB, 512k, 36700160
    Duration,     // seconds; accepts 300, 300s, 5m, 1h
    DurationList, // "5m,20m,60m" (each > 0, strictly increasing)
    HostPort,     // host[:port] or [v6]:port; empty allowed where optional
    CidrList,     // "10.0.0.0/8, 2001:db8::/32, 192.0.2.7" (IPv4 and IPv6)
    DomainList,   // "example.com, bücher.example" -> normalised (ACE), ", "-separated
    Path,         // a file path, or empty
};

struct SettingDef
{
    QString key;
    SettingType type;
    QString defaultValue; // canonical text
    QString description;  // English, one sentence
    qint64 min = 0;
    qint64 max = 0; // 0: no limit
    // String settings with a fixed vocabulary ("may", "encrypt", "verify"):
    // the value must be one of these (any case; stored in lower case).
    QStringList choices = {};
};

class SettingsSchema final
{
public:
    static const QList<SettingDef> &all();
    static const SettingDef *find(const QString &key);
    // Unknown key or bad value -> failure with a clear reason. Success carries
    // the canonical text form to store ("35M" -> "36700160", "yes" -> "true").
    // Surrounding whitespace is trimmed; CR, LF, NUL and other control
    // characters are refused. Empty is accepted exactly for the settings whose
    // default is empty (meaning "not configured").
    static Result<QString> validate(const QString &key, const QString &value);

    // Typed readers of canonical values (they assume validate() passed).
    static bool toBool(const QString &canonical);
    static qint64 toInteger(const QString &canonical);
    static QList<qint64> toDurationList(const QString &canonical); // seconds
    static QStringList toList(const QString &canonical);
};

} // namespace mailroute
