#include "relaycore/runtime/messagelogwriter.h"

#include "relaycore/runtime/memorypolicy.h"

namespace mailroute {

MessageLogWriter::MessageLogWriter(QString databasePath) : m_path(std::move(databasePath)) {}

MessageLogWriter::~MessageLogWriter() = default;

void MessageLogWriter::write(const QList<MessageLogEntry> &events)
{
    if (events.isEmpty() || m_path.isEmpty())
        return;
    if (!m_store) {
        m_store = std::make_unique<ConfigStore>(m_path);
        if (const Status st = m_store->open(); !st.ok()) {
            m_store.reset();
            if (!m_reported) {
                m_reported = true;
                emit failed(QStringLiteral("message log: cannot open %1: %2").arg(m_path, st.error));
            }
            return;
        }
    }
    auto written = m_traceOn
                       ? m_store->appendMessageEvents(
                             events, [this, &events](QSqlDatabase &db) { return m_trace.apply(db, events); })
                       : m_store->appendMessageEvents(events);
    if (m_traceOn && !m_noticeSent && !m_trace.fullTextNote().isEmpty()) {
        m_noticeSent = true;
        emit notice(QStringLiteral("message trace: %1").arg(m_trace.fullTextNote()));
    }
    if (m_traceOn && !written.ok())
        m_trace.forget(); // rolled back: the trace's open messages are read again
    if (m_traceOn && !written.ok() && written.error.startsWith(QStringLiteral("trace store:"))) {
        // The log must not be lost to the trace: write the batch alone.
        if (!m_traceReported) {
            m_traceReported = true;
            emit failed(QStringLiteral("message trace: %1").arg(written.error));
        }
        written = m_store->appendMessageEvents(events);
    }
    if (!m_idle) {
        m_idle = new QTimer(this);
        m_idle->setSingleShot(true);
        m_idle->setInterval(kIdleReleaseMs);
        connect(m_idle, &QTimer::timeout, this, &MessageLogWriter::releaseMemory);
    }
    m_idle->start();
    if (!written.ok() && !m_reported) {
        m_reported = true;
        emit failed(QStringLiteral("message log: %1").arg(written.error));
    } else if (written.ok()) {
        m_reported = false;
    }
}

void MessageLogWriter::releaseMemory()
{
    m_trace.releaseMemory();
    if (m_store)
        m_store->releaseMemory();
    memorypolicy::returnFreedMemory();
}

} // namespace mailroute
