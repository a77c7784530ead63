// mailroutectl status [--json] (issue 14 item 5): what a running
// `mailroutectl serve` on this database reports in <spool>/relay-status.json
// (servereport.h), with the queue by state read from the spool and the domain
// holds from the database. Exit status 0 while a relay runs, 3 when none does
// (as `systemctl status`), 1 on an error.
#include "app/ctl/ctlapp.h"

#include "app/ctl/servereport.h"
#include "relaycore/queue/spool.h"
#include "relaycore/store/configstore.h"
#include "relaycore/store/operationsstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cerrno>
#include <csignal>
#include <sys/types.h>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

constexpr int kExitNotRunning = 3;

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

bool processAlive(qint64 pid)
{
    if (pid <= 0)
        return false;
    return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

QString describeEvent(const QJsonValue &v, bool delivery)
{
    if (!v.isObject())
        return u"none since the relay started"_s;
    const QJsonObject o = v.toObject();
    if (delivery)
        return u"%1 %2 to %3 via %4"_s.arg(o.value(u"time"_s).toString(), o.value(u"queue_id"_s).toString(),
                                           o.value(u"to"_s).toString(), o.value(u"relay"_s).toString());
    return o.value(u"time"_s).toString() + QLatin1Char(' ') + o.value(u"text"_s).toString();
}

} // namespace

int CtlApp::cmdStatus()
{
    const bool json = m_args.has(u"json"_s);
    const QString spoolDir = spoolDirectory();
    const QDateTime now = QDateTime::currentDateTimeUtc();

    const bool running = Spool(spoolDir, Spool::Role::Admin).isEngineRunning();
    QJsonObject reported;
    if (running) {
        QFile file(relayStatusFilePath(spoolDir));
        if (file.open(QIODevice::ReadOnly)) {
            const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
            // A file left by a relay that died is not this relay's.
            if (processAlive(o.value(u"pid"_s).toInteger()))
                reported = o;
        }
    }

    OperationsStore ops(m_store->path());
    if (const Status st = ops.open(); !st)
        return fail(u"cannot open database %1: %2"_s.arg(m_store->path(), st.error));
    const auto holds = ops.holds();
    if (!holds)
        return fail(holds.error);
    QList<DomainHold> active;
    for (const DomainHold &h : *holds) {
        if (!h.until.isValid() || h.until > now)
            active << h;
    }
    const auto queue = countQueueStates(spoolDir, active, now);
    if (!queue)
        return fail(queue.error);

    const qint64 generation = reported.contains(u"generation"_s) ? reported.value(u"generation"_s).toInteger()
                                                                 : m_store->activeGeneration().value_or(0);

    if (json) {
        QJsonArray holdArray;
        for (const DomainHold &h : std::as_const(active))
            holdArray.append(
                QJsonObject{{u"domain"_s, h.domain},
                            {u"since"_s, isoTime(h.since)},
                            {u"until"_s, h.until.isValid() ? QJsonValue(isoTime(h.until)) : QJsonValue()}});
        QJsonObject o{
            {u"running"_s, running},
            {u"reporting"_s, !reported.isEmpty()},
            {u"database"_s, m_store->path()},
            {u"spool"_s, spoolDir},
            {u"pid"_s, reported.contains(u"pid"_s) ? reported.value(u"pid"_s) : QJsonValue()},
            {u"started"_s, reported.contains(u"started"_s) ? reported.value(u"started"_s) : QJsonValue()},
            {u"listening"_s, reported.value(u"listening"_s).toBool(false)},
            {u"listen"_s, reported.value(u"listen"_s).toArray()},
            {u"generation"_s, generation},
            {u"sessions"_s, reported.value(u"sessions"_s).toInteger(0)},
            {u"queue"_s, QJsonObject{{u"messages"_s, queue->messages},
                                     {u"queued"_s, queue->queued},
                                     {u"deferred"_s, queue->deferred},
                                     {u"held"_s, queue->held}}},
            {u"last_delivery"_s, reported.value(u"last_delivery"_s).isObject()
                                     ? reported.value(u"last_delivery"_s)
                                     : QJsonValue()},
            {u"last_error"_s,
             reported.value(u"last_error"_s).isObject() ? reported.value(u"last_error"_s) : QJsonValue()},
            {u"holds"_s, holdArray},
            {u"messages"_s, reported.value(u"messages"_s).isObject() ? reported.value(u"messages"_s)
                                                                     : QJsonValue(QJsonObject())},
        };
        m_out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Indented));
        return running ? kExitOk : kExitNotRunning;
    }

    if (!running)
        m_out << "relay: not running (no relay holds the spool " << spoolDir << ")\n";
    else if (reported.isEmpty())
        m_out << "relay: running, not reporting (a console, or a serve that has not started listening)\n";
    else
        m_out << "relay: running (pid " << reported.value(u"pid"_s).toInteger() << ", since "
              << reported.value(u"started"_s).toString() << ")\n";
    if (!reported.isEmpty()) {
        QStringList listen;
        for (const QJsonValue &v : reported.value(u"listen"_s).toArray())
            listen << v.toString();
        m_out << "listening: " << (listen.isEmpty() ? u"no"_s : listen.join(u", "_s)) << '\n';
    }
    m_out << "generation: " << generation << (running ? "" : " (active in the database)") << '\n';
    if (!reported.isEmpty())
        m_out << "sessions: " << reported.value(u"sessions"_s).toInteger() << '\n';
    m_out << "queue: " << queue->messages << " message(s); recipients: " << queue->queued << " queued, "
          << queue->deferred << " deferred, " << queue->held << " held\n";
    if (!reported.isEmpty()) {
        m_out << "last delivery: " << describeEvent(reported.value(u"last_delivery"_s), true) << '\n';
        m_out << "last error: " << describeEvent(reported.value(u"last_error"_s), false) << '\n';
    }
    if (active.isEmpty()) {
        m_out << "holds: none\n";
    } else {
        for (const DomainHold &h : std::as_const(active))
            m_out << "hold: " << h.domain << " since " << isoTime(h.since)
                  << (h.until.isValid() ? QString(u" until "_s + isoTime(h.until)) : u" until released"_s)
                  << '\n';
    }
    return running ? kExitOk : kExitNotRunning;
}

} // namespace mailroute

namespace mailroute {

QString CtlApp::serveReportOptions(QString *metricsFile, int *metricsIntervalMs) const
{
    const bool hasFile = m_args.hasValue(u"metrics-file"_s);
    if (m_args.hasValue(u"metrics-interval"_s)) {
        if (!hasFile)
            return u"--metrics-interval goes with --metrics-file"_s;
        bool ok = false;
        const int seconds = m_args.value(u"metrics-interval"_s).toInt(&ok);
        if (!ok || seconds < 1 || seconds > 3600)
            return u"--metrics-interval must be 1 to 3600 seconds, got '%1'"_s.arg(
                m_args.value(u"metrics-interval"_s));
        *metricsIntervalMs = seconds * 1000;
    }
    if (hasFile) {
        const QString value = m_args.value(u"metrics-file"_s);
        if (value.trimmed().isEmpty())
            return u"--metrics-file needs a file name"_s;
        const QFileInfo info(QDir::current().absoluteFilePath(value));
        if (info.isDir())
            return u"--metrics-file %1 is a folder; name a file such as mailroute.prom in it"_s.arg(value);
        if (!info.absoluteDir().exists())
            return u"--metrics-file: the folder %1 does not exist"_s.arg(info.absolutePath());
        *metricsFile = info.absoluteFilePath();
    }
    return {};
}

} // namespace mailroute
