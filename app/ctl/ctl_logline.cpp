#include "app/ctl/ctl_logline.h"

#include "relaycore/mailauth/authresults.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

// Field order per event (stored key, printed name); "reason" of a refusal
// is the reply the client got.
QList<std::pair<QString, QString>> leadingFields(MessageEvent event)
{
    if (event == MessageEvent::Refused)
        return {{u"client"_s, u"client"_s},
                {u"from"_s, u"from"_s},
                {u"to"_s, u"to"_s},
                {u"reason"_s, u"reply"_s}};
    if (event == MessageEvent::Kept)
        return {{u"scope"_s, u"field"_s}, {u"address"_s, u"address"_s}, {u"reason"_s, u"reason"_s}};
    return {};
}

QString valueText(const QVariant &value)
{
    return value.toString().replace(QLatin1Char('\n'), QLatin1Char(' '));
}

} // namespace

QString formatMessageLogLine(const MessageLogEntry &e)
{
    QString line = (e.queueId.isEmpty() ? QStringLiteral("-") : e.queueId) + QLatin1Char(' ') +
                   e.eventName() + QLatin1Char(':');
    if (e.event == MessageEvent::Auth) // "auth: spf=… dkim=… dmarc=… arc=…"
        return line + QLatin1Char(' ') + AuthVerdicts::logText(e.fields);
    QVariantMap rest = e.fields;
    for (const auto &[key, name] : leadingFields(e.event)) {
        if (rest.contains(key))
            line += QLatin1Char(' ') + name + QLatin1Char('=') + valueText(rest.take(key));
    }
    for (auto f = rest.cbegin(); f != rest.cend(); ++f)
        line += QLatin1Char(' ') + f.key() + QLatin1Char('=') + valueText(f.value());
    return line;
}

} // namespace mailroute
