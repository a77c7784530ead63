#include "app/ctl/servereport.h"

#include "app/ctl/ctl_logline.h"
#include "relaycore/queue/spool.h"
#include "relaycore/store/operationsstore.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSaveFile>
#include <QSet>

#include <unistd.h>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {

constexpr int kAreaMemory = 100'000; // queue ids whose area is remembered

// The statuses counted in mailroute_messages_total and the status file.
const char *const kCountedEvents[] = {"received", "delivered", "deferred", "bounced", "refused"};

QString isoTime(const QDateTime &t)
{
    return t.toUTC().toString(Qt::ISODate);
}

QString areaLabel(std::optional<Area> area)
{
    return area ? areaKey(*area) : u"none"_s;
}

QStringList areaLabels()
{
    QStringList labels;
    for (Area a : kAllAreas)
        labels << areaKey(a);
    labels << u"none"_s;
    return labels;
}

QString domainOf(const QString &address)
{
    const qsizetype at = address.lastIndexOf(QLatin1Char('@'));
    return at < 0 ? QString() : address.mid(at + 1).toLower();
}

// A label value as the exposition format quotes it.
QString labelValue(const QString &v)
{
    QString out = v;
    out.replace(u"\\"_s, u"\\\\"_s).replace(u"\""_s, u"\\\""_s).replace(u"\n"_s, u"\\n"_s);
    return out;
}

} // namespace

int journalPriority(MessageEvent event)
{
    switch (event) {
    case MessageEvent::Bounced:
    case MessageEvent::Error: return 3;
    case MessageEvent::Deferred:
    case MessageEvent::Refused:
    case MessageEvent::Held:
    case MessageEvent::Warning:
    case MessageEvent::HoldWarning:
    case MessageEvent::DelayNotice: return 4;
    default: return 6;
    }
}

QString journalText(const MessageLogEntry &e)
{
    return (e.area ? areaKey(*e.area) : u"-"_s) + QLatin1Char(' ') + formatMessageLogLine(e);
}

Result<QueueStates> countQueueStates(const QString &spoolDirectory, const QList<DomainHold> &holds,
                                     const QDateTime &now)
{
    using R = Result<QueueStates>;
    QueueStates states;
    if (!QFileInfo::exists(spoolDirectory + QLatin1Char('/') + Spool::databaseFileName()))
        return R::success(states);
    Spool spool(spoolDirectory, Spool::Role::Admin);
    if (const Status st = spool.open(); !st.ok())
        return R::failure(u"cannot open the spool in %1: %2"_s.arg(spoolDirectory, st.error));
    QSet<QString> held;
    for (const DomainHold &h : holds) {
        if (!h.until.isValid() || h.until > now)
            held.insert(h.domain);
    }
    qint64 after = 0;
    for (;;) {
        const auto page = spool.list(after, 2000);
        if (!page.ok())
            return R::failure(page.error);
        for (const QueuedMessage &m : *page) {
            after = m.id;
            bool any = false;
            for (const QueuedRecipient &r : m.recipients) {
                if (r.status != RecipientStatus::Queued)
                    continue;
                any = true;
                if (held.contains(domainOf(r.address)) ||
                    (!r.originalAddress.isEmpty() && held.contains(domainOf(r.originalAddress))))
                    ++states.held;
                else if (r.attempts > 0)
                    ++states.deferred;
                else
                    ++states.queued;
            }
            if (any)
                ++states.messages;
        }
        if (page->size() < 2000)
            break;
    }
    return R::success(states);
}

QString relayStatusFilePath(const QString &spoolDirectory)
{
    return QDir(spoolDirectory).filePath(u"relay-status.json"_s);
}

bool isPrometheusName(const QString &name)
{
    static const QRegularExpression re(u"^[a-zA-Z_:][a-zA-Z0-9_:]*$"_s);
    return re.match(name).hasMatch();
}

ServeReporter::ServeReporter(Options options, QTextStream &err)
    : m_options(std::move(options)), m_err(err), m_started(QDateTime::currentDateTimeUtc())
{
    for (const QString &area : areaLabels()) {
        for (const char *status : kCountedEvents)
            m_counts.insert(area + QLatin1Char('/') + QLatin1String(status), 0);
    }
    m_metricsTimer.setInterval(m_options.metricsIntervalMs);
    QObject::connect(&m_metricsTimer, &QTimer::timeout, &m_context, [this] { writeMetrics(); });
    m_statusTimer.setInterval(m_options.statusIntervalMs);
    QObject::connect(&m_statusTimer, &QTimer::timeout, &m_context, [this] { writeStatusFile(); });
    if (m_notifier.watchdogIntervalMs() > 0) {
        m_watchdogTimer.setInterval(m_notifier.watchdogIntervalMs());
        QObject::connect(&m_watchdogTimer, &QTimer::timeout, &m_context,
                         [this] { sendNotify(QByteArrayLiteral("WATCHDOG=1")); });
        m_watchdogTimer.start();
    }
}

ServeReporter::~ServeReporter() = default;

bool ServeReporter::stderrWantsPrefixes()
{
    return ::isatty(STDERR_FILENO) == 0;
}

void ServeReporter::rememberArea(const QString &queueId, Area area)
{
    if (queueId.isEmpty() || m_areas.contains(queueId))
        return;
    m_areas.insert(queueId, area);
    m_areaOrder.push_back(queueId);
    while (m_areaOrder.size() > static_cast<size_t>(kAreaMemory)) {
        m_areas.remove(m_areaOrder.front());
        m_areaOrder.pop_front();
    }
}

std::optional<Area> ServeReporter::areaOf(const MessageLogEntry &e)
{
    if (e.area)
        return e.area;
    if (const auto it = m_areas.constFind(e.queueId); it != m_areas.constEnd() && !e.queueId.isEmpty())
        return it.value();
    return std::nullopt;
}

void ServeReporter::onEvents(const QList<MessageLogEntry> &events)
{
    // A message's rewrites follow its "received" in the same batch: learn
    // the areas first, so "received" is counted in the area of its rule.
    for (const MessageLogEntry &e : events) {
        if (e.area)
            rememberArea(e.queueId, *e.area);
    }
    for (const MessageLogEntry &e : events) {
        const QString text = journalText(e);
        if (m_options.journalPrefixes)
            m_err << '<' << journalPriority(e.event) << '>' << text << '\n';
        else
            m_err << isoTime(e.time.isValid() ? e.time : QDateTime::currentDateTimeUtc()) << ' ' << text
                  << '\n';

        const QString key = areaLabel(areaOf(e)) + QLatin1Char('/') + e.eventName();
        if (const auto it = m_counts.find(key); it != m_counts.end())
            ++it.value();
        const QDateTime when = e.time.isValid() ? e.time.toUTC() : QDateTime::currentDateTimeUtc();
        if (e.event == MessageEvent::Delivered) {
            m_lastDelivery = when;
            m_lastDeliveryJson = QJsonObject{{u"time"_s, isoTime(when)},
                                             {u"queue_id"_s, e.queueId},
                                             {u"to"_s, e.fields.value(u"to"_s).toString()},
                                             {u"relay"_s, e.fields.value(u"relay"_s).toString()}};
        } else if (journalPriority(e.event) == 3) {
            m_lastErrorJson = QJsonObject{{u"time"_s, isoTime(when)},
                                          {u"event"_s, e.eventName()},
                                          {u"queue_id"_s, e.queueId},
                                          {u"text"_s, formatMessageLogLine(e)}};
        }
    }
    m_err.flush();
}

void ServeReporter::sendNotify(const QByteArray &state)
{
    QString error;
    if (!m_notifier.notify(state, &error)) {
        m_err << "mailroutectl: " << error << '\n';
        m_err.flush();
    }
}

void ServeReporter::onStatus(const RelayStatus &status)
{
    const bool changed = status.listenAddress != m_status.listenAddress ||
                         status.generation != m_status.generation || status.listening != m_status.listening;
    m_status = status;
    if (status.listening && !m_ready) {
        // The listener is bound and the spool open (the engine says
        // "listening" only then): systemd may start what comes After= us.
        m_ready = true;
        writeStatusFile();
        writeMetrics();
        m_statusTimer.start();
        if (!m_options.metricsFile.isEmpty())
            m_metricsTimer.start();
        sendNotify(QByteArrayLiteral("READY=1\nSTATUS=listening on ") + status.listenAddress.toUtf8() +
                   QByteArrayLiteral(", generation ") + QByteArray::number(status.generation) +
                   QByteArrayLiteral("\nMAINPID=") + QByteArray::number(QCoreApplication::applicationPid()));
        return;
    }
    if (m_ready && changed) {
        writeStatusFile();
        if (status.listening)
            sendNotify(QByteArrayLiteral("STATUS=listening on ") + status.listenAddress.toUtf8() +
                       QByteArrayLiteral(", generation ") + QByteArray::number(status.generation));
    }
}

void ServeReporter::onStopping()
{
    sendNotify(QByteArrayLiteral("STOPPING=1\nSTATUS=stopping: finishing deliveries in flight"));
}

void ServeReporter::onStopped()
{
    m_statusTimer.stop();
    m_metricsTimer.stop();
    m_watchdogTimer.stop();
    m_status.listening = false;
    m_status.sessions = 0;
    if (m_ready)
        writeMetrics();
    QFile::remove(relayStatusFilePath(m_options.spoolDirectory));
}

void ServeReporter::writeStatusFile()
{
    QJsonObject counters;
    for (const QString &area : areaLabels()) {
        QJsonObject perStatus;
        for (const char *status : kCountedEvents)
            perStatus.insert(QLatin1String(status),
                             m_counts.value(area + QLatin1Char('/') + QLatin1String(status)));
        counters.insert(area, perStatus);
    }
    const QJsonObject o{
        {u"pid"_s, QCoreApplication::applicationPid()},
        {u"started"_s, isoTime(m_started)},
        {u"updated"_s, isoTime(QDateTime::currentDateTimeUtc())},
        {u"listening"_s, m_status.listening},
        {u"listen"_s, m_status.listenAddress.isEmpty() ? QJsonArray() : QJsonArray{m_status.listenAddress}},
        {u"generation"_s, m_status.generation},
        {u"sessions"_s, m_status.sessions},
        {u"queued_messages"_s, m_status.queued},
        {u"last_delivery"_s, m_lastDeliveryJson.isEmpty() ? QJsonValue() : QJsonValue(m_lastDeliveryJson)},
        {u"last_error"_s, m_lastErrorJson.isEmpty() ? QJsonValue() : QJsonValue(m_lastErrorJson)},
        {u"error"_s, m_status.error},
        {u"messages"_s, counters},
    };
    QSaveFile file(relayStatusFilePath(m_options.spoolDirectory));
    if (!file.open(QIODevice::WriteOnly))
        return; // the spool directory is the engine's; it reports its own errors
    file.write(QJsonDocument(o).toJson(QJsonDocument::Compact));
    file.commit();
}

QByteArray ServeReporter::metricsText(const QueueStates &queue, bool queueKnown) const
{
    QString s;
    auto head = [&](const char *name, const char *type, const QString &help) {
        s += u"# HELP %1 %2\n# TYPE %1 %3\n"_s.arg(QLatin1String(name), help, QLatin1String(type));
    };
    head("mailroute_messages_total", "counter",
         u"Message-log events since this relay started, by area (the rule that rewrote the message; none "
         u"without one) and status: received messages, delivered, deferred and bounced recipients, "
         u"refused commands."_s);
    for (const QString &area : areaLabels()) {
        for (const char *status : kCountedEvents)
            s += u"mailroute_messages_total{area=\"%1\",status=\"%2\"} %3\n"_s
                     .arg(labelValue(area), QLatin1String(status))
                     .arg(m_counts.value(area + QLatin1Char('/') + QLatin1String(status)));
    }
    if (queueKnown) {
        head("mailroute_queue_recipients", "gauge",
             u"Recipients in the spool still to deliver, by state: queued (not attempted yet), deferred "
             u"(waiting for a retry), held (domain on hold)."_s);
        s += u"mailroute_queue_recipients{state=\"queued\"} %1\n"_s.arg(queue.queued);
        s += u"mailroute_queue_recipients{state=\"deferred\"} %1\n"_s.arg(queue.deferred);
        s += u"mailroute_queue_recipients{state=\"held\"} %1\n"_s.arg(queue.held);
        head("mailroute_queue_messages", "gauge",
             u"Messages in the spool with recipients still to deliver."_s);
        s += u"mailroute_queue_messages %1\n"_s.arg(queue.messages);
    }
    head("mailroute_sessions", "gauge", u"Open SMTP sessions."_s);
    s += u"mailroute_sessions %1\n"_s.arg(m_status.sessions);
    head("mailroute_generation", "gauge", u"The active configuration generation."_s);
    s += u"mailroute_generation %1\n"_s.arg(m_status.generation);
    head("mailroute_listening", "gauge", u"1 while the relay accepts SMTP connections."_s);
    s += u"mailroute_listening %1\n"_s.arg(m_status.listening ? 1 : 0);
    head("mailroute_last_delivery_timestamp_seconds", "gauge",
         u"Unix time of the last delivery since this relay started (0: none yet)."_s);
    s += u"mailroute_last_delivery_timestamp_seconds %1\n"_s.arg(
        m_lastDelivery.isValid() ? m_lastDelivery.toSecsSinceEpoch() : 0);
    head("mailroute_start_time_seconds", "gauge", u"Unix time this relay started."_s);
    s += u"mailroute_start_time_seconds %1\n"_s.arg(m_started.toSecsSinceEpoch());
    return s.toUtf8();
}

QString ServeReporter::writeMetrics()
{
    if (m_options.metricsFile.isEmpty())
        return {};
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<DomainHold> holds;
    if (!m_ops) {
        m_ops = std::make_unique<OperationsStore>(m_options.databasePath);
        if (!m_ops->open())
            m_ops.reset();
    }
    if (m_ops) {
        if (const auto h = m_ops->holds())
            holds = *h;
    }
    const auto queue = countQueueStates(m_options.spoolDirectory, holds, now);
    const QByteArray text = metricsText(queue.ok() ? *queue : QueueStates{}, queue.ok());

    QSaveFile file(m_options.metricsFile);
    QString error;
    if (!file.open(QIODevice::WriteOnly)) {
        error = file.errorString();
    } else {
        // node-exporter runs as another user: counts are no secret.
        file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup |
                            QFileDevice::ReadOther);
        if (file.write(text) != text.size() || !file.commit())
            error = file.errorString();
    }
    if (!error.isEmpty() && error != m_metricsError) {
        m_err << "mailroutectl: cannot write the metrics file " << m_options.metricsFile << ": " << error
              << '\n';
        m_err.flush();
    }
    m_metricsError = error;
    return error;
}

} // namespace mailroute
