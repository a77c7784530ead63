#include "ui/backgroundstore.h"

#include "relaycore/store/configstore.h"

#include <QMetaObject>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace mailroute {

namespace {

// The worker: opens its ConfigStore on first use, on the worker thread, and
// closes it there when the thread finishes (deleteLater on QThread::finished).
class StoreWorker final : public QObject
{
public:
    explicit StoreWorker(QString path) : m_path(std::move(path)) {}

    ConfigStore &store()
    {
        if (!m_store) {
            m_store = std::make_unique<ConfigStore>(m_path);
            // A failed open leaves a closed store: its calls then fail with a
            // reason, which the task hands back like any other failure.
            m_store->open();
        }
        return *m_store;
    }

private:
    QString m_path;
    std::unique_ptr<ConfigStore> m_store;
};

} // namespace

BackgroundStore::BackgroundStore(QString databasePath, QObject *parent)
    : QObject(parent), m_path(std::move(databasePath))
{
    m_thread.setObjectName(QStringLiteral("mailroute-store"));
    auto *worker = new StoreWorker(m_path);
    worker->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, worker, &QObject::deleteLater);
    m_worker = worker;
    m_thread.start();
}

BackgroundStore::~BackgroundStore()
{
    m_thread.quit();
    m_thread.wait();
}

void BackgroundStore::post(std::function<void(ConfigStore &)> task)
{
    auto *worker = static_cast<StoreWorker *>(m_worker);
    QMetaObject::invokeMethod(
        worker, [worker, task = std::move(task)] { task(worker->store()); }, Qt::QueuedConnection);
}

void BackgroundStore::toGui(QPointer<QObject> guard, std::function<void()> f)
{
    QMetaObject::invokeMethod(
        this,
        [guard = std::move(guard), f = std::move(f)] {
            if (guard)
                f();
        },
        Qt::QueuedConnection);
}

void BackgroundStore::trimHeap()
{
#if defined(__GLIBC__)
    malloc_trim(0);
#endif
}

void BackgroundStore::taskDone()
{
    if (--m_pending == 0)
        emit busyChanged(false);
}

} // namespace mailroute
