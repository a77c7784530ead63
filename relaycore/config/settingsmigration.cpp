#include "relaycore/config/settingsmigration.h"

#include "relaycore/routing/settingkeys.h"

namespace mailroute {

namespace {

bool legacyFalse(const QString &value)
{
    // Canonical values are "true"/"false"; a hand-edited database may hold
    // the spellings SettingsSchema used to accept for a Bool.
    const QString v = value.trimmed().toLower();
    return v == u"false" || v == u"no" || v == u"off" || v == u"0";
}

} // namespace

QString SettingsMigration::legacyRewriteHeaders()
{
    return QStringLiteral("rewrite.headers");
}

QString SettingsMigration::migrate(QMap<QString, QString> &settings)
{
    const auto it = settings.find(legacyRewriteHeaders());
    if (it == settings.end())
        return {};
    const QString old = it.value();
    settings.erase(it);
    const bool off = legacyFalse(old);
    const QString recipient = SettingKey::rewriteRecipientHeaders();
    const QString sender = SettingKey::rewriteSenderHeaders();
    if (!settings.contains(recipient))
        settings.insert(recipient, off ? QStringLiteral("never") : QStringLiteral("unsigned"));
    if (!settings.contains(sender))
        settings.insert(sender, off ? QStringLiteral("no") : QStringLiteral("yes"));
    return QStringLiteral("rewrite.headers = %1 replaced by rewrite.recipient_headers = %2 and "
                          "rewrite.sender_headers = %3")
        .arg(old, settings.value(recipient), settings.value(sender));
}

QString SettingsMigration::retiredKeyMessage(const QString &key)
{
    if (key.trimmed().toLower() != legacyRewriteHeaders())
        return {};
    return QStringLiteral(
        "rewrite.headers was replaced by two settings: rewrite.recipient_headers (unsigned, always or never: "
        "To:/Cc: along with the envelope; unsigned keeps a field that a valid DKIM signature of the sender "
        "covers) and rewrite.sender_headers (yes or no: From:/Sender:/Reply-To: of outbound mail); "
        "the old false is recipient_headers never and sender_headers no");
}

} // namespace mailroute
