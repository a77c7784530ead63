// mailroutectl queue list|flush|delete (docs/behaviour.md "The command line
// (mailroutectl)"): the relay's queue, read from the spool; flush and delete
// go to a running relay through the spool's control table.
#include "app/ctl/ctl_queue.h"

#include "app/ctl/ctl_common.h"
#include "app/ctl/ctl_json.h"
#include "app/ctl/ctlapp.h"

#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace mailroute {

using ctl::formatTime;

int CtlApp::queueList()
{
    const QString dir = spoolDirectory();
    if (m_args.has(QStringLiteral("json"))) {
        JsonList list(m_out);
        if (!QFileInfo::exists(dir + QLatin1Char('/') + Spool::databaseFileName()))
            return kExitOk; // no spool yet: nothing queued
        Spool spool(dir, Spool::Role::Admin);
        if (const Status st = spool.open(); !st.ok())
            return fail(u"cannot open the spool in %1: %2"_s.arg(dir, st.error));
        const Status listed =
            forEachQueuedRecipient(spool, [&](const QueuedMessage &m, const QueuedRecipient &r) {
                list.add(QJsonObject{{u"queue_id"_s, m.queueId},
                                     {u"arrival"_s, formatTime(m.arrival)},
                                     {u"sender"_s, m.sender},
                                     {u"recipient"_s, r.address},
                                     {u"original_recipient"_s, r.originalAddress},
                                     {u"attempts"_s, r.attempts},
                                     {u"next_attempt"_s, r.nextAttempt.isValid()
                                                             ? QJsonValue(formatTime(r.nextAttempt))
                                                             : QJsonValue()},
                                     {u"last_error"_s, r.lastError}});
            });
        if (!listed.ok())
            return fail(listed.error);
        return kExitOk;
    }
    if (!QFileInfo::exists(dir + QLatin1Char('/') + Spool::databaseFileName()))
        return kExitOk; // no spool yet: nothing queued
    Spool spool(dir, Spool::Role::Admin);
    if (const Status st = spool.open(); !st.ok())
        return fail(QStringLiteral("cannot open the spool in %1: %2").arg(dir, st.error));
    const Status listed =
        forEachQueuedRecipient(spool, [&](const QueuedMessage &m, const QueuedRecipient &r) {
            m_out << m.queueId << '\t' << formatTime(m.arrival) << '\t'
                  << (m.sender.isEmpty() ? QStringLiteral("<>") : m.sender) << '\t' << r.address << '\t'
                  << r.attempts << '\t'
                  << (r.nextAttempt.isValid() ? formatTime(r.nextAttempt) : QStringLiteral("now")) << '\t'
                  << QString(r.lastError).replace(QLatin1Char('\t'), QLatin1Char(' ')) << '\n';
        });
    if (!listed.ok())
        return fail(listed.error);
    return kExitOk;
}

// flush [ID] and delete ID.
int CtlApp::queueControl()
{
    const QString dir = spoolDirectory();
    if (!QFileInfo::exists(dir + QLatin1Char('/') + Spool::databaseFileName()))
        return fail(QStringLiteral("no spool in %1").arg(dir));
    Spool spool(dir, Spool::Role::Admin);
    if (const Status st = spool.open(); !st.ok())
        return fail(QStringLiteral("cannot open the spool in %1: %2").arg(dir, st.error));
    const auto outcome = m_verb == QLatin1String("flush") ? spool.requestFlush(m_positionals.value(0))
                                                          : spool.requestDelete(m_positionals.at(0));
    if (!outcome.ok())
        return fail(outcome.error);
    if (*outcome == Spool::ControlOutcome::Requested)
        m_out << "requested; the running relay applies it within a second\n";
    return kExitOk;
}

} // namespace mailroute
