#include "relaycore/message/dsnfactory.h"

#include "relaycore/message/dsnstatus.h"
#include "relaycore/message/messagedate.h"

namespace mailroute {

namespace {

// What every delivery status notification about a message shares (bounce,
// delay notice): who reports, to whom, about which message.
DsnInput dsnInputFor(const DsnOriginal &original, const QString &reportingMta, const QDateTime &now)
{
    DsnInput in;
    in.reportingMta = reportingMta;
    in.envelopeSender = original.sender;
    in.queueId = original.queueId;
    in.arrivalDate = original.arrival;
    in.date = now;
    in.originalMessage = original.message;
    return in;
}

DsnRecipient recipientOf(const DsnFailure &f)
{
    DsnRecipient d;
    d.finalRecipient = f.address;
    if (f.originalAddress.compare(f.address, Qt::CaseInsensitive) != 0)
        d.originalRecipient = f.originalAddress;
    return d;
}

} // namespace

Result<DsnMessage> DsnFactory::bounce(const QString &reportingMta, const DsnOriginal &original,
                                      const QList<DsnFailure> &failures, const QString &nextHop,
                                      const QDateTime &now)
{
    DsnInput in = dsnInputFor(original, reportingMta, now);
    for (const DsnFailure &r : failures) {
        DsnRecipient d = recipientOf(r);
        d.action = DsnAction::Failed;
        const auto reply = DsnStatus::fromSmtpReply(r.lastError.toUtf8());
        // Our own failures (DNS: "5.1.2 domain ... not found") start with
        // the enhanced code alone.
        const auto status = reply ? reply : DsnStatus::parse(r.lastError.section(QLatin1Char(' '), 0, 0));
        d.status = status && status->isPermanent() ? *status : DsnStatus(5, 0, 0);
        if (status && status->isTransient())
            d.status = DsnStatus(5, status->subject(), status->detail());
        d.remoteMta = nextHop.section(QLatin1Char(':'), 0, 0);
        d.diagnosticCode = r.lastError;
        d.diagnosticType = reply ? QStringLiteral("smtp") : QStringLiteral("X-MailRoute");
        d.lastAttempt = now;
        in.recipients << d;
    }
    return DsnBuilder::build(in);
}

Result<DsnMessage> DsnFactory::delayNotice(const QString &reportingMta, const DsnOriginal &original,
                                           const QList<DsnFailure> &waiting, const QDateTime &now)
{
    DsnInput in = dsnInputFor(original, reportingMta, now);
    for (const DsnFailure &r : waiting) {
        DsnRecipient d = recipientOf(r);
        d.action = DsnAction::Delayed;
        const auto status = DsnStatus::fromSmtpReply(r.lastError.toUtf8());
        d.status = status ? DsnStatus(4, status->subject(), status->detail()) : DsnStatus(4, 0, 0);
        d.diagnosticCode = r.lastError;
        d.diagnosticType = status ? QStringLiteral("smtp") : QStringLiteral("X-MailRoute");
        d.lastAttempt = now;
        d.willRetryUntil = r.retryUntil;
        in.recipients << d;
    }
    return DsnBuilder::build(in);
}

QByteArray DsnFactory::holdWarning(const QString &hostName, const QString &postmaster, const QString &queueId,
                                   const QString &domain, const QDateTime &since, int queued,
                                   const QDateTime &now)
{
    const qint64 days = since.secsTo(now) / 86400;
    const QByteArray host = hostName.toUtf8();
    QByteArray text;
    text += "From: Mail Delivery System <MAILER-DAEMON@" + host + ">\r\n";
    text += "To: " + postmaster.toUtf8() + "\r\n";
    text += "Subject: Mail for @" + domain.toUtf8() + " has been on hold for " + QByteArray::number(days) +
            " days\r\n";
    text += "Date: " + formatRfc5322Date(now) + "\r\n";
    text += "Message-ID: <" + queueId.toUtf8() + ".hold@" + host + ">\r\n";
    text += "Auto-Submitted: auto-generated\r\n";
    text += "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n";
    text += "The relay " + host + " holds mail for @" + domain.toUtf8() + " since " +
            since.toString(Qt::ISODate).toUtf8() + " (" + QByteArray::number(days) + " days).\r\n";
    text += QByteArray::number(queued) +
            " recipient(s) wait in the queue; none is attempted or bounced while "
            "the hold lasts.\r\n\r\n";
    text +=
        "Release it once the domain is verified at its new tenant:\r\n\r\n    mailroutectl hold release " +
        domain.toUtf8() + "\r\n\r\nor with Release on the console's Queue page.\r\n";
    return text;
}

} // namespace mailroute
