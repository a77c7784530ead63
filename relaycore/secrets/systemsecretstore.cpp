// SecretStore over QtKeychain (Secret Service on Linux). QtKeychain's jobs
// are asynchronous and queue through a process-wide executor object that
// lives on the thread of the first job; so every job here runs on one
// private "keychain" thread with its own event loop, and the caller blocks:
// the application's main thread (console, mailroutectl) in a local QEventLoop
// that still repaints, any other thread (the engine's) without running its
// own events, so no socket or timer of the engine re-enters mid-call.
#include "relaycore/secrets/secretstore.h"

#include <qt6keychain/keychain.h>

#include <QCoreApplication>
#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QMutex>
#include <QPointer>
#include <QSemaphore>
#include <QThread>
#include <QTimer>

#include <memory>

namespace mailroute {

namespace {

// The D-Bus timeout is 25 s; an unlock prompt may take the admin longer.
constexpr int kJobTimeoutMs = 120 * 1000;

QString unavailableSentence(const QString &detail)
{
    return QStringLiteral(
               "No keychain (Secret Service) is available: %1. Start a Secret Service such as "
               "gnome-keyring or KWallet in this session and unlock it (on a server without a desktop: "
               "run under dbus-run-session with gnome-keyring-daemon --unlock), then try again. "
               "MailRoute never stores secrets in plain text.")
        .arg(detail.isEmpty() ? QStringLiteral("unknown error") : detail);
}

// One QtKeychain job's outcome, shared between the caller and the keychain thread.
struct JobOutcome
{
    QSemaphore done;
    QMutex mutex;
    QPointer<QEventLoop> waitingLoop; // the main thread's local loop, guarded by mutex
    QKeychain::Error error = QKeychain::NoError;
    QString errorString;
    QString text;
};

// The thread every QtKeychain job runs on; stopped when the application ends.
class KeychainThread final
{
public:
    static KeychainThread &instance()
    {
        static KeychainThread *thread = [] {
            auto *t = new KeychainThread;
            // Joined before QCoreApplication goes away; the object is leaked
            // on purpose (it may be needed until then from any thread).
            qAddPostRoutine([] { KeychainThread::instance().stop(); });
            return t;
        }();
        return *thread;
    }

    // Runs `startJob` on the keychain thread; it must start a job that
    // eventually calls finish(outcome). Blocks until then or the timeout.
    template <typename Start> bool run(const std::shared_ptr<JobOutcome> &outcome, Start startJob)
    {
        QMutexLocker lock(&m_mutex);
        if (!m_context)
            return false;
        QMetaObject::invokeMethod(
            m_context, [ctx = m_context, outcome, startJob] { startJob(ctx, outcome); },
            Qt::QueuedConnection);
        lock.unlock();
        QCoreApplication *app = QCoreApplication::instance();
        if (app && QThread::currentThread() == app->thread()) {
            QEventLoop loop;
            {
                QMutexLocker l(&outcome->mutex);
                outcome->waitingLoop = &loop;
            }
            bool finished = outcome->done.tryAcquire(1, 0);
            if (!finished) {
                QTimer::singleShot(kJobTimeoutMs, &loop, &QEventLoop::quit);
                loop.exec(QEventLoop::ExcludeUserInputEvents);
                finished = outcome->done.tryAcquire(1, 0);
            }
            QMutexLocker l(&outcome->mutex);
            outcome->waitingLoop = nullptr;
            return finished;
        }
        return outcome->done.tryAcquire(1, kJobTimeoutMs);
    }

    static void finish(const std::shared_ptr<JobOutcome> &outcome, QKeychain::Job *job, QString text = {})
    {
        QMutexLocker l(&outcome->mutex);
        outcome->error = job->error();
        outcome->errorString = job->errorString();
        outcome->text = std::move(text);
        outcome->done.release();
        if (outcome->waitingLoop)
            QMetaObject::invokeMethod(outcome->waitingLoop.data(), &QEventLoop::quit, Qt::QueuedConnection);
    }

private:
    KeychainThread()
    {
        m_thread.setObjectName(QStringLiteral("keychain"));
        m_context = new QObject;
        m_context->moveToThread(&m_thread);
        QObject::connect(&m_thread, &QThread::finished, m_context, &QObject::deleteLater);
        m_thread.start();
    }

    void stop()
    {
        {
            QMutexLocker lock(&m_mutex);
            m_context = nullptr;
        }
        m_thread.quit();
        m_thread.wait();
    }

    QMutex m_mutex;
    QThread m_thread;
    QObject *m_context = nullptr; // lives on m_thread
};

class SystemSecretStore final : public SecretStore
{
public:
    explicit SystemSecretStore(const QString &scope)
    {
        // The same database reached by another spelling of its path shares
        // its secrets; different databases never do.
        const QFileInfo info(scope);
        const QString canonical = info.canonicalFilePath();
        m_service = QStringLiteral("MailRoute ") +
                    (canonical.isEmpty() ? QDir::cleanPath(info.absoluteFilePath()) : canonical);
    }

    SecretLookup read(const QString &name) override
    {
        SecretLookup lookup;
        const auto outcome = std::make_shared<JobOutcome>();
        const QString service = m_service;
        const bool finished =
            KeychainThread::instance().run(outcome, [service, name](QObject *ctx, auto out) {
                auto *job = new QKeychain::ReadPasswordJob(service);
                prepare(job, name);
                QObject::connect(job, &QKeychain::Job::finished, ctx, [out, job] {
                    KeychainThread::finish(out, job,
                                           job->error() == QKeychain::NoError ? job->textData() : QString());
                });
                job->start();
            });
        if (!finished) {
            lookup.error = unavailableSentence(QStringLiteral("the keychain did not answer in time"));
            return lookup;
        }
        if (outcome->error == QKeychain::NoError) {
            lookup.state = SecretState::Found;
            lookup.value = outcome->text;
        } else if (outcome->error == QKeychain::EntryNotFound) {
            lookup.state = SecretState::NotFound;
            lookup.error = QStringLiteral("%1 is not stored in the keychain").arg(name);
        } else {
            lookup.error = describe(*outcome);
        }
        return lookup;
    }

    Status write(const QString &name, const QString &value) override
    {
        if (value.isEmpty())
            return Status::failure(QStringLiteral("an empty %1 is not stored; clear it instead").arg(name));
        const auto outcome = std::make_shared<JobOutcome>();
        const QString service = m_service;
        const bool finished =
            KeychainThread::instance().run(outcome, [service, name, value](QObject *ctx, auto out) {
                auto *job = new QKeychain::WritePasswordJob(service);
                prepare(job, name);
                job->setTextData(value);
                QObject::connect(job, &QKeychain::Job::finished, ctx,
                                 [out, job] { KeychainThread::finish(out, job); });
                job->start();
            });
        return conclude(finished, *outcome, false);
    }

    Status remove(const QString &name) override
    {
        const auto outcome = std::make_shared<JobOutcome>();
        const QString service = m_service;
        const bool finished =
            KeychainThread::instance().run(outcome, [service, name](QObject *ctx, auto out) {
                auto *job = new QKeychain::DeletePasswordJob(service);
                prepare(job, name);
                QObject::connect(job, &QKeychain::Job::finished, ctx,
                                 [out, job] { KeychainThread::finish(out, job); });
                job->start();
            });
        return conclude(finished, *outcome, true);
    }

private:
    static void prepare(QKeychain::Job *job, const QString &name)
    {
        job->setAutoDelete(true);
        // Never QtKeychain's plaintext fallback (an INI file): docs/behaviour.md "Secrets".
        job->setInsecureFallback(false);
        job->setKey(name);
    }

    static QString describe(const JobOutcome &outcome)
    {
        switch (outcome.error) {
        case QKeychain::AccessDeniedByUser:
        case QKeychain::AccessDenied:
            return QStringLiteral(
                       "The keychain refused access (%1). Unlock the keyring (gnome-keyring, KWallet) "
                       "and allow MailRoute, then try again.")
                .arg(outcome.errorString);
        default: return unavailableSentence(outcome.errorString);
        }
    }

    static Status conclude(bool finished, const JobOutcome &outcome, bool notFoundIsSuccess)
    {
        if (!finished)
            return Status::failure(
                unavailableSentence(QStringLiteral("the keychain did not answer in time")));
        if (outcome.error == QKeychain::NoError ||
            (notFoundIsSuccess && outcome.error == QKeychain::EntryNotFound))
            return okStatus();
        return Status::failure(describe(outcome));
    }

    QString m_service;
};

} // namespace

std::unique_ptr<SecretStore> createSystemSecretStore(const QString &scope)
{
    return std::make_unique<SystemSecretStore>(scope);
}

} // namespace mailroute
