// Writes message-log events into the configuration database in batches, on
// its own thread, so the relay's hot path never waits for the database
// (issue 3, item 9). Owned by EngineController; lives on the log thread.
#pragma once

#include "relaycore/store/configstore.h"

#include <QObject>

#include <memory>

namespace mailroute {

class MessageLogWriter final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MessageLogWriter)

public:
    explicit MessageLogWriter(QString databasePath);
    ~MessageLogWriter() override;

    // Log thread: opens the store on first use; one transaction per batch.
    void write(const QList<mailroute::MessageLogEntry> &events);

signals:
    void failed(const QString &reason);

private:
    QString m_path;
    std::unique_ptr<ConfigStore> m_store;
    bool m_reported = false;
};

} // namespace mailroute
