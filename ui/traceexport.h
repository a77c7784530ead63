// The Trace page's exports (issue 14, item 2): the results as CSV with the
// columns of Google's Email Log Search export, and "Copy trace query": the
// Exchange Online and Google Admin searches for a message's Message-ID, so
// the admin can follow the message into the tenant. Plain values; any thread.
//
// Google's export fields ("Email log search export fields",
// support.google.com/a/answer/13828463): Message ID, Start date, End date,
// Sender, Message size, Subject, Direction, Attachments, Recipient address,
// Event target. One row per recipient, as Google writes one row per
// delivery step; MailRoute's own columns follow Google's.
#pragma once

#include "relaycore/trace/tracetypes.h"

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

namespace mailroute {

class TraceExport final
{
public:
    // Google's column names, in their order.
    static QStringList googleColumns();
    // MailRoute's columns after them: Delivered to, Status, Area, Queue ID, Rule, Last reply.
    static QStringList mailRouteColumns();
    // The whole file: a header line, one row per recipient (a refusal
    // without recipients: one row). RFC 4180 quoting, CRLF line ends, UTF-8.
    // A cell that a spreadsheet would run as a formula (= + - @ first) gets
    // a leading apostrophe (OWASP "CSV injection").
    static QByteArray csv(const QList<TraceMessage> &messages);
    // Writes csv() to `path` (QSaveFile); an error text, empty on success.
    static QString write(const QString &path, const QList<TraceMessage> &messages);

    // Get-MessageTraceV2 -MessageId "<id>" -StartDate … -EndDate …: the
    // cmdlet searches 48 hours without dates and at most 10 days per query,
    // so the window is the day before the message to nine days after it.
    static QString exchangeCommand(const TraceMessage &message);
    // Where and what to type in the Google Admin console's Email log search.
    static QString googleSearch(const TraceMessage &message);
    // Both, for the clipboard.
    static QString traceQueryText(const TraceMessage &message);
    // "mailroute-trace-2026-12-06.csv"
    static QString suggestedFileName();
};

} // namespace mailroute
