// Runs long store work (a 1,000,000-row import, a push, a diff) off the GUI
// thread. Qt's worker/controller pattern: this object lives on the GUI thread
// and owns a QThread; the worker there opens its OWN ConfigStore on the same
// database file (a ConfigStore belongs to the thread that opened it). Tasks run
// one after the other, in the order posted; their results come back to the GUI
// thread as values.
#pragma once

#include <QMetaObject>
#include <QObject>
#include <QPointer>
#include <QThread>

#include <functional>
#include <memory>
#include <utility>

namespace mailroute {

class ConfigStore;

class BackgroundStore final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(BackgroundStore)

public:
    explicit BackgroundStore(QString databasePath, QObject *parent = nullptr);
    // Waits for the running task (the store's transactions are all-or-nothing,
    // so there is nothing to abort half-way), then joins the thread.
    ~BackgroundStore() override;

    // Calls work(store) on the worker thread, then done(result) on the GUI
    // thread, unless `context` was destroyed meanwhile. `work` must only
    // capture values (it runs on another thread).
    template <typename Work, typename Done> void run(QObject *context, Work work, Done done)
    {
        using T = std::invoke_result_t<Work, ConfigStore &>;
        QPointer<QObject> guard(context);
        ++m_pending;
        emit busyChanged(true);
        post([this, guard, work = std::move(work), done = std::move(done)](ConfigStore &store) mutable {
            auto result = std::make_shared<T>(work(store));
            // Back through `this`, which outlives every task (its destructor
            // joins the thread), so a destroyed context is checked on the GUI
            // thread, never raced with.
            QMetaObject::invokeMethod(
                this,
                [this, guard, result, done = std::move(done)]() mutable {
                    if (guard)
                        done(std::move(*result));
                    taskDone();
                },
                Qt::QueuedConnection);
        });
    }

    // Frees `value` on the worker thread, then gives the freed memory back to
    // the system: a million-row plan costs the GUI thread ~100 ms to free,
    // and glibc keeps such a heap otherwise.
    template <typename T> void dispose(T value)
    {
        auto holder = std::make_shared<T>(std::move(value));
        post([holder](ConfigStore &) mutable {
            holder.reset();
            trimHeap();
        });
    }

    // Runs `f` on the GUI thread, soon, if `guard` (made on the GUI thread)
    // still points to a live object: progress reports from a task.
    void toGui(QPointer<QObject> guard, std::function<void()> f);

    bool isBusy() const { return m_pending > 0; }

    // Gives memory freed on the worker back to the system (glibc keeps a
    // heap that held a million-row list otherwise). Call on the worker.
    static void trimHeap();
    QString databasePath() const { return m_path; }

signals:
    void busyChanged(bool busy);

private:
    void post(std::function<void(ConfigStore &)> task);
    void taskDone();

    QString m_path;
    QThread m_thread;
    QObject *m_worker = nullptr; // lives on m_thread, deleted there
    int m_pending = 0;
};

} // namespace mailroute
