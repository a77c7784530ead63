#include "relaycore/engine/messagelogwriter.h"

namespace mailroute {

MessageLogWriter::MessageLogWriter(QString databasePath)
    : m_path(std::move(databasePath))
{
}

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
    const auto written = m_store->appendMessageEvents(events);
    if (!written.ok() && !m_reported) {
        m_reported = true;
        emit failed(QStringLiteral("message log: %1").arg(written.error));
    } else if (written.ok()) {
        m_reported = false;
    }
}

} // namespace mailroute
