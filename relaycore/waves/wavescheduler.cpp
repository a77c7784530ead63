#include "relaycore/waves/wavescheduler.h"

#include "relaycore/store/configstore.h"
#include "relaycore/store/wavestore.h"
#include "relaycore/waves/wavechecker.h"

#include <QLoggingCategory>
#include <QPointer>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace mailroute {

namespace {
Q_LOGGING_CATEGORY(lcWaves, "mailroute.waves")
}

struct WaveScheduler::Private
{
    Options options;
    std::unique_ptr<ConfigStore> store;
    std::unique_ptr<WaveStore> waves;
    QTimer *timer = nullptr;
    QPointer<WaveChecker> checker; // a check in flight: nothing else runs meanwhile
    QDateTime startedAt;           // the first tick's time: waves due before it were missed
    bool firstTick = true;
    QString lastError;

    const Clock &clock() const { return options.clock ? *options.clock : SystemClock::instance(); }
};

WaveScheduler::WaveScheduler(Options options, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>())
{
    d->options = std::move(options);
}

WaveScheduler::~WaveScheduler() = default;

void WaveScheduler::start()
{
    if (!d->store) {
        d->store = std::make_unique<ConfigStore>(d->options.databasePath);
        if (const Status st = d->store->open(); !st) {
            qCWarning(lcWaves).noquote() << "waves: cannot open the configuration database:" << st.error;
            emit failed(QString(), st.error);
            d->store.reset();
            return;
        }
        d->waves = std::make_unique<WaveStore>(*d->store);
    }
    if (!d->timer) {
        d->timer = new QTimer(this);
        connect(d->timer, &QTimer::timeout, this, &WaveScheduler::tick);
    }
    d->timer->start(std::max(10, d->options.pollMs));
    tick();
}

void WaveScheduler::stop()
{
    if (d->timer)
        d->timer->stop();
    delete d->checker;
}

void WaveScheduler::tick()
{
    if (!d->waves || d->checker)
        return;
    const QDateTime now = d->clock().now();
    if (d->firstTick) {
        d->firstTick = false;
        d->startedAt = now;
    }
    const Result<QList<WaveStore::Due>> due = d->waves->due(now);
    if (!due) {
        if (due.error != d->lastError) {
            d->lastError = due.error;
            qCWarning(lcWaves).noquote() << "waves:" << due.error;
            emit failed(QString(), due.error);
        }
        return;
    }
    d->lastError.clear();
    for (const WaveStore::Due &item : *due) {
        switch (item.action) {
        case WaveStore::Action::Apply: {
            // Due before this relay started (more than a poll late): it was
            // missed while no relay ran, and the log says so.
            const bool late = item.when < d->startedAt.addSecs(-60);
            const QString how =
                late ? u"at start: it was due at %1 while no relay ran"_s.arg(waveTimeIso(item.when))
                     : u"at its time"_s;
            const Result<PushResult> r = d->waves->apply(item.name, now, how);
            if (!r) {
                qCWarning(lcWaves).noquote() << "wave" << item.name << "not applied:" << r.error;
                emit failed(item.name, r.error);
                continue;
            }
            qCInfo(lcWaves).noquote()
                << "wave" << item.name << "applied" << how << "- generation" << r->generation;
            emit applied(item.name, r->generation, late);
            break;
        }
        case WaveStore::Action::Expire: {
            const Result<PushResult> r = d->waves->expire(item.name, now);
            if (!r) {
                qCWarning(lcWaves).noquote() << "wave" << item.name << "not expired:" << r.error;
                emit failed(item.name, r.error);
                continue;
            }
            qCInfo(lcWaves).noquote() << "wave" << item.name << "expired - generation" << r->generation;
            emit expired(item.name, r->generation);
            break;
        }
        case WaveStore::Action::Check24h:
        case WaveStore::Action::Check1h: {
            const QString trigger = item.action == WaveStore::Action::Check24h ? u"T-24h"_s : u"T-1h"_s;
            const Result<ConfigData> after = d->waves->resultingConfig(item.name);
            const Result<WaveInfo> info = d->waves->info(item.name);
            const std::optional<qint64> active = d->store->activeGeneration();
            if (!after || !info || !active) {
                const QString why = !after ? after.error : !info ? info.error : u"nothing is pushed"_s;
                emit failed(item.name, why);
                continue;
            }
            const Result<ConfigData> before = d->store->generationConfig(*active);
            WaveChecker::Options o;
            o.wave = info->wave;
            o.before = before ? *before : ConfigData{};
            o.after = *after;
            o.trigger = trigger;
            o.overrides = d->options.overrides;
            o.nameserver = d->options.nameserver;
            o.clock = d->options.clock;
            d->checker = new WaveChecker(this);
            const QString name = item.name;
            connect(d->checker, &WaveChecker::finished, this, [this, name](const WaveCheck &check) {
                d->checker->deleteLater();
                d->checker = nullptr;
                const Result<WaveStatus> st = d->waves->recordCheck(name, check);
                if (!st)
                    emit failed(name, st.error);
                emit checked(name, check);
                QTimer::singleShot(0, this, &WaveScheduler::tick);
            });
            d->checker->start(o);
            return; // the rest waits for the check
        }
        }
    }
}

} // namespace mailroute
