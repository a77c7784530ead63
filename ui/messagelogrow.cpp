#include "ui/messagelogrow.h"

#include "relaycore/mailauth/authresults.h"

#include <QLocale>

namespace mailroute {

namespace {

QString field(const QVariantMap &fields, const char *key)
{
    return fields.value(QLatin1String(key)).toString();
}

} // namespace

MessageEventKind MessageLogRow::kindOf(const QString &event)
{
    if (event == QLatin1String("received"))
        return MessageEventKind::Received;
    // "kept": a header field left as it was (a DKIM signature covers it).
    if (event == QLatin1String("rewritten") || event == QLatin1String("kept"))
        return MessageEventKind::Rewritten;
    if (event == QLatin1String("delivered"))
        return MessageEventKind::Delivered;
    if (event == QLatin1String("deferred"))
        return MessageEventKind::Deferred;
    if (event == QLatin1String("bounced"))
        return MessageEventKind::Bounced;
    if (event == QLatin1String("error") || event == QLatin1String("refused"))
        return MessageEventKind::Error;
    return MessageEventKind::Other;
}

MessageLogRow MessageLogRow::fromEntry(const MessageLogEntry &e, quint8 areas)
{
    MessageLogRow r;
    r.id = e.id;
    r.time = e.time.isValid() ? e.time : QDateTime::currentDateTimeUtc();
    const QDateTime local = r.time.toLocalTime();
    // A live log is read by the time of day; older lines (loaded at start) need their date.
    r.timeText = local.date() == QDate::currentDate() ? local.toString(QStringLiteral("HH:mm:ss"))
                                                      : local.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    r.queueId = e.queueId;
    r.event = e.event;
    r.kind = kindOf(e.event);
    r.areas = areas;
    const QVariantMap &f = e.fields;
    switch (r.kind) {
    case MessageEventKind::Received: {
        r.from = f.contains(QStringLiteral("from")) && field(f, "from").isEmpty() ? QStringLiteral("<>")
                                                                                  : field(f, "from");
        r.to = field(f, "to");
        const QString finals = field(f, "recipients");
        if (!finals.isEmpty() && finals.compare(r.to, Qt::CaseInsensitive) != 0)
            r.rewrittenTo = finals;
        r.status = tr("queued, %1 from %2")
                       .arg(QLocale().formattedDataSize(f.value(QStringLiteral("size")).toLongLong()),
                            field(f, "client"));
        break;
    }
    case MessageEventKind::Rewritten: {
        const QString scope = field(f, "scope");
        if (e.event == QLatin1String("kept")) {
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
        r.status = !rule.isEmpty()   ? tr("%1 by rule %2").arg(scope, rule)
                   : reason.isEmpty() ? scope
                                      : tr("%1: %2").arg(scope, reason);
        break;
    }
    case MessageEventKind::Delivered:
        r.to = field(f, "to");
        r.nextHop = field(f, "relay");
        r.status = field(f, "reply");
        break;
    case MessageEventKind::Deferred:
        r.to = field(f, "to");
        r.nextHop = field(f, "relay");
        r.status = tr("%1 (attempt %2; next %3)")
                       .arg(field(f, "reason"), field(f, "attempts"),
                            QDateTime::fromString(field(f, "next_attempt"), Qt::ISODate)
                                .toLocalTime()
                                .toString(QStringLiteral("HH:mm:ss")));
        break;
    case MessageEventKind::Bounced:
        r.to = field(f, "to");
        r.nextHop = field(f, "relay");
        r.status = tr("%1 (DSN %2)").arg(field(f, "reason"), field(f, "dsn"));
        break;
    case MessageEventKind::Error:
        r.from = field(f, "client");
        r.status = field(f, "reason");
        break;
    case MessageEventKind::Other: {
        if (e.event == QLatin1String("auth")) { // the verdicts at receipt: "spf=… dkim=… dmarc=… arc=…"
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
    for (const QString *s : {&queueId, &event, &from, &to, &rewrittenTo, &nextHop, &status, &timeText}) {
        if (s->contains(needle, Qt::CaseInsensitive))
            return true;
    }
    return false;
}

} // namespace mailroute
