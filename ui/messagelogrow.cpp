#include "ui/messagelogrow.h"

#include "relaycore/mailauth/authresults.h"
#include "ui/displaytime.h"

#include <QLocale>

namespace mailroute {

namespace {

QString field(const QVariantMap &fields, const char *key)
{
    return fields.value(QLatin1String(key)).toString();
}

} // namespace

QString MessageLogRow::ruleText(std::optional<Area> area, const QString &match, const QString &rule)
{
    if (rule.isEmpty())
        return {};
    const QString kind = match == QLatin1String("user")     ? tr("user rule")
                         : match == QLatin1String("domain") ? tr("domain rule")
                                                            : match;
    QStringList parts;
    if (area)
        parts << areaTitle(*area);
    if (!kind.isEmpty())
        parts << kind;
    parts << rule;
    return parts.join(QStringLiteral(" · "));
}

MessageLogKind MessageLogRow::kindOf(MessageEvent event)
{
    switch (event) {
    case MessageEvent::Received: return MessageLogKind::Received;
    // Kept: a header field left as it was (a DKIM signature covers it).
    case MessageEvent::Rewritten:
    case MessageEvent::Kept: return MessageLogKind::Rewritten;
    case MessageEvent::Delivered: return MessageLogKind::Delivered;
    case MessageEvent::Deferred: return MessageLogKind::Deferred;
    case MessageEvent::Bounced: return MessageLogKind::Bounced;
    case MessageEvent::Error: return MessageLogKind::Error;
    case MessageEvent::Refused: return MessageLogKind::Refused;
    default: return MessageLogKind::Other;
    }
}

MessageLogRow MessageLogRow::fromEntry(const MessageLogEntry &e, quint8 areas)
{
    MessageLogRow r;
    r.id = e.id;
    r.time = e.time.isValid() ? e.time : QDateTime::currentDateTimeUtc();
    // The console's one date/time format (the Queue and the action log use it too).
    r.timeText = DisplayTime::dateTime(r.time);
    r.queueId = e.queueId;
    r.event = e.eventName();
    r.kind = kindOf(e.event);
    r.areas = areas;
    const QVariantMap &f = e.fields;
    switch (r.kind) {
    case MessageLogKind::Received: {
        r.from = f.contains(QStringLiteral("from")) && field(f, "from").isEmpty() ? QStringLiteral("<>")
                                                                                  : field(f, "from");
        r.to = field(f, "to");
        const QString finals = field(f, "recipients");
        if (!finals.isEmpty() && finals.compare(r.to, Qt::CaseInsensitive) != 0)
            r.rewrittenTo = finals;
        r.client = field(f, "client");
        r.status = tr("queued, %1 from %2")
                       .arg(QLocale().formattedDataSize(f.value(QStringLiteral("size")).toLongLong()),
                            field(f, "client"));
        break;
    }
    case MessageLogKind::Rewritten: {
        const QString scope = field(f, "scope");
        if (e.event == MessageEvent::Kept) {
            r.to = field(f, "address");
            r.status = tr("%1 kept: %2").arg(scope, field(f, "reason"));
            break;
        }
        const bool sender = scope.contains(QLatin1String("sender")) ||
                            scope.endsWith(QLatin1String("From")) ||
                            scope.endsWith(QLatin1String("Reply-To"));
        (sender ? r.from : r.to) = field(f, "from");
        r.rewrittenTo = field(f, "to");
        const QString rule = field(f, "rule");
        const QString reason = field(f, "reason");
        r.rule = ruleText(e.area, field(f, "match"), rule);
        r.status = !rule.isEmpty() || reason.isEmpty() ? scope : tr("%1: %2").arg(scope, reason);
        break;
    }
    case MessageLogKind::Delivered:
        r.to = field(f, "to");
        r.nextHop = field(f, "relay");
        r.status = field(f, "reply");
        break;
    case MessageLogKind::Deferred:
        r.to = field(f, "to");
        r.nextHop = field(f, "relay");
        r.status =
            tr("%1 (attempt %2; next %3)")
                .arg(field(f, "reason"), field(f, "attempts"),
                     DisplayTime::dateTime(QDateTime::fromString(field(f, "next_attempt"), Qt::ISODate)));
        break;
    case MessageLogKind::Bounced:
        r.to = field(f, "to");
        r.nextHop = field(f, "relay");
        r.status = tr("%1 (DSN %2)").arg(field(f, "reason"), field(f, "dsn"));
        break;
    case MessageLogKind::Error:
        r.client = field(f, "client");
        r.from = r.client;
        r.status = field(f, "reason");
        break;
    case MessageLogKind::Refused:
        // The addresses the refusal concerns, and the reply the client got.
        r.client = field(f, "client");
        r.from = field(f, "from");
        r.to = field(f, "to");
        r.status =
            r.client.isEmpty() ? field(f, "reason") : tr("%1 (client %2)").arg(field(f, "reason"), r.client);
        break;
    case MessageLogKind::Other: {
        if (e.event == MessageEvent::Auth) { // the verdicts at receipt: "spf=… dkim=… dmarc=… arc=…"
            r.status = AuthVerdicts::logText(f);
            break;
        }
        QStringList parts;
        for (auto it = f.cbegin(); it != f.cend(); ++it)
            parts << it.key() + QLatin1Char('=') + it.value().toString();
        r.status = parts.join(QStringLiteral(", "));
        break;
    }
    }
    return r;
}

bool MessageLogRow::contains(const QString &needle) const
{
    for (const QString *s :
         {&queueId, &event, &from, &to, &rewrittenTo, &nextHop, &status, &rule, &timeText}) {
        if (s->contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace mailroute
