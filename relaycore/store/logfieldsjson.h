// The message log's `fields` column (docs/behaviour.md "Logs"): an event's
// details as compact JSON text, written once per event on the log thread.
// The text is the one QJsonDocument::toJson(Compact) writes for
// QJsonObject::fromVariantMap(fields), character for character; the common
// value types (text, integers, booleans, finite decimals) are written
// directly, without the QVariantMap -> QCborMap -> QJsonObject conversions,
// and any other value falls back to Qt's conversion for the whole object.
#pragma once

#include <QString>
#include <QVariantMap>

namespace mailroute {

QString messageFieldsJson(const QVariantMap &fields);

// Qt's conversion (the reference messageFieldsJson matches; for tests).
QString messageFieldsJsonByQt(const QVariantMap &fields);

} // namespace mailroute
