#include "ui/wavespage.h"

#include "relaycore/store/configstore.h"
#include "relaycore/store/wavestore.h"
#include "relaycore/waves/wavechecker.h"
#include "ui/backgroundstore.h"
#include "ui/infobanner.h"
#include "ui/themecolours.h"
#include "ui/wavecreatedialog.h"
#include "ui/wavetimeline.h"

#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollBar>
#include <QSplitter>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

namespace {

constexpr int kNameRole = Qt::UserRole + 1;
constexpr int kMaxMappingsShown = 20;
constexpr int kMaxReportRows = 50;

} // namespace

WavesPage::WavesPage(BackgroundStore *background, const QString &nameserver, QWidget *parent)
    : QWidget(parent), m_background(background), m_nameserver(nameserver),
      m_now([] { return QDateTime::currentDateTimeUtc(); }), m_banner(new InfoBanner(this)),
      m_intro(new QLabel(this)), m_timeline(new WaveTimeline(this)), m_list(new QTreeWidget(this)),
      m_details(new QPlainTextEdit(this)), m_create(new QPushButton(tr("&Create…"), this)),
      m_check(new QPushButton(tr("Check &now"), this)), m_apply(new QPushButton(tr("&Apply now…"), this)),
      m_cancel(new QPushButton(tr("Cance&l wave…"), this)), m_push(new QPushButton(tr("&Push…"), this)),
      m_tick(new QTimer(this))
{
    setObjectName(QStringLiteral("wavesPage"));
    m_intro->setObjectName(QStringLiteral("wavesIntro"));
    m_intro->setWordWrap(true);
    m_intro->setText(
        tr("A wave switches a batch of users to their new addresses at a set time, checked 24 hours "
           "and 1 hour before. Waves are part of the draft: push to schedule them; the relay applies "
           "each one at its time. Times are shown in local time."));
    m_list->setObjectName(QStringLiteral("wavesList"));
    m_list->setAccessibleName(tr("Waves"));
    m_list->setRootIsDecorated(false);
    m_list->setUniformRowHeights(true);
    m_list->setAllColumnsShowFocus(true);
    m_list->setColumnCount(ColumnCount);
    m_list->setHeaderLabels(
        {tr("Name"), tr("State"), tr("Activation"), tr("Countdown"), tr("Expiry"), tr("Users")});
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_details->setObjectName(QStringLiteral("waveDetails"));
    m_details->setAccessibleName(tr("Wave details"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a wave to see its check, its note and its report."));
    m_create->setObjectName(QStringLiteral("createWaveButton"));
    m_check->setObjectName(QStringLiteral("checkWaveButton"));
    m_apply->setObjectName(QStringLiteral("applyWaveButton"));
    m_cancel->setObjectName(QStringLiteral("cancelWaveButton"));
    m_push->setObjectName(QStringLiteral("wavesPushButton"));
    m_create->setToolTip(tr("A new wave from a user list (Source;Target) or a migration batch file"));
    m_check->setToolTip(
        tr("Lint, DNS of the target domains and, when waves.probe_rate is set, a recipient probe"));
    m_apply->setToolTip(tr("Make the wave active now instead of at its time"));
    m_cancel->setToolTip(tr("A scheduled wave is not applied; an active one has its mappings removed"));
    m_push->setToolTip(tr("Waves take effect once pushed"));

    auto *buttons = new QHBoxLayout;
    for (QPushButton *b : {m_create, m_check, m_apply, m_cancel})
        buttons->addWidget(b);
    buttons->addStretch(1);
    buttons->addWidget(m_push);

    auto *lower = new QSplitter(Qt::Vertical, this);
    lower->addWidget(m_list);
    lower->addWidget(m_details);
    lower->setStretchFactor(0, 2);
    lower->setStretchFactor(1, 1);
    lower->setChildrenCollapsible(false);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addWidget(m_intro);
    layout->addWidget(m_timeline);
    layout->addLayout(buttons);
    layout->addWidget(lower, 1);
    m_banner->hide();

    connect(m_create, &QPushButton::clicked, this, &WavesPage::createWave);
    connect(m_check, &QPushButton::clicked, this, &WavesPage::checkNow);
    connect(m_apply, &QPushButton::clicked, this, &WavesPage::applyNow);
    connect(m_cancel, &QPushButton::clicked, this, &WavesPage::cancelWave);
    connect(m_push, &QPushButton::clicked, this, &WavesPage::pushRequested);
    connect(m_timeline, &WaveTimeline::waveClicked, this, &WavesPage::selectWave);
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this] {
        m_timeline->setSelected(selectedWave());
        updateButtons();
        showDetails();
    });
    // Countdowns every second while shown; the relay's scheduler changes
    // states in another thread or process, so the list is re-read now and then.
    m_tick->setInterval(1000);
    connect(m_tick, &QTimer::timeout, this, [this, n = 0]() mutable {
        updateCountdowns();
        if (++n % 15 == 0 && !isBusy() && m_loading == 0)
            reload();
    });
    updateButtons();
}

WavesPage::~WavesPage() = default;

QDateTime WavesPage::now() const
{
    return m_now().toUTC();
}

void WavesPage::setClock(std::function<QDateTime()> nowUtc)
{
    m_now = std::move(nowUtc);
    updateCountdowns();
}

bool WavesPage::isBusy() const
{
    return m_running > 0;
}

void WavesPage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    m_tick->start();
    reload();
}

void WavesPage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_tick->stop();
}

void WavesPage::reload(std::function<void()> then)
{
    ++m_loading;
    m_background->run(
        this,
        [](ConfigStore &store) {
            WaveStore waves(store);
            return waves.list();
        },
        [this, then = std::move(then)](const Result<QList<WaveInfo>> &r) {
            --m_loading;
            if (!r)
                m_banner->showMessage(tr("The waves cannot be read: %1").arg(r.error),
                                      InfoBanner::Kind::Error);
            else
                showWaves(*r);
            emit reloaded();
            if (then)
                then();
        });
}

void WavesPage::showWaves(const QList<WaveInfo> &waves)
{
    const QString keep = selectedWave();
    m_waves = waves;
    QList<WaveTimeline::Item> items;
    const QSignalBlocker block(m_list);
    m_list->clear();
    QTreeWidgetItem *current = nullptr;
    const QPalette pal = m_list->palette();
    for (const WaveInfo &w : waves) {
        items.append({w.wave.name, w.wave.at, w.wave.expire, w.status.state, w.wave.users.size(), w.pushed});
        auto *item = new QTreeWidgetItem(m_list);
        item->setData(NameColumn, kNameRole, w.wave.name);
        item->setText(NameColumn, w.wave.name);
        QString state = waveStateTitle(w.status.state);
        if (!w.pushed)
            state = tr("%1 (not pushed)").arg(state);
        else if (!w.inDraft)
            state = tr("%1 (removed from the draft)").arg(state);
        item->setText(StateColumn, state);
        // An expired wave is history: the muted text colour, as on the timeline.
        item->setForeground(StateColumn, w.status.state == WaveState::Expired
                                             ? pal.color(QPalette::PlaceholderText)
                                             : theme::toneText(waveStateTone(w.status.state),
                                                               pal.color(QPalette::Base), pal));
        item->setText(AtColumn, waveTimeText(w.wave.at));
        item->setText(ExpireColumn, w.wave.expire.isValid() ? waveTimeText(w.wave.expire) : tr("none"));
        QString users = QLocale().toString(w.wave.users.size());
        if (!w.wave.outbound.isEmpty())
            users = tr("%1 + %2 Outbound").arg(users, QLocale().toString(w.wave.outbound.size()));
        item->setText(UsersColumn, users);
        item->setTextAlignment(UsersColumn, Qt::AlignRight | Qt::AlignVCenter);
        if (w.wave.name == keep)
            current = item;
    }
    m_timeline->setItems(items);
    if (!current && m_list->topLevelItemCount() > 0) {
        // The next wave to come, else the last one.
        current = m_list->topLevelItem(m_list->topLevelItemCount() - 1);
        for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
            if (waveStateIsPending(waves[i].status.state)) {
                current = m_list->topLevelItem(i);
                break;
            }
        }
    }
    m_list->setCurrentItem(current);
    m_timeline->setSelected(selectedWave());
    updateCountdowns();
    updateButtons();
    showDetails();
}

void WavesPage::updateCountdowns()
{
    const QDateTime t = now();
    m_timeline->setNow(t);
    for (int i = 0; i < m_list->topLevelItemCount() && i < m_waves.size(); ++i) {
        const WaveInfo &w = m_waves[i];
        QString text;
        if (waveStateIsPending(w.status.state))
            text = waveCountdown(w.wave.at, t);
        else if (w.status.state == WaveState::Active && w.wave.expire.isValid())
            text = tr("expires %1").arg(waveCountdown(w.wave.expire, t));
        m_list->topLevelItem(i)->setText(CountdownColumn, text);
    }
}

QString WavesPage::selectedWave() const
{
    const QTreeWidgetItem *item = m_list->currentItem();
    return item ? item->data(NameColumn, kNameRole).toString() : QString();
}

const WaveInfo *WavesPage::selectedInfo() const
{
    const QString name = selectedWave();
    for (const WaveInfo &w : m_waves) {
        if (w.wave.name == name)
            return &w;
    }
    return nullptr;
}

void WavesPage::selectWave(const QString &name)
{
    for (int i = 0; i < m_list->topLevelItemCount(); ++i) {
        if (m_list->topLevelItem(i)->data(NameColumn, kNameRole).toString() == name) {
            m_list->setCurrentItem(m_list->topLevelItem(i));
            return;
        }
    }
}

void WavesPage::updateButtons()
{
    const WaveInfo *w = selectedInfo();
    const bool idle = m_running == 0;
    const bool pending = w && waveStateIsPending(w->status.state);
    m_check->setEnabled(idle && pending);
    m_apply->setEnabled(idle && pending && w->pushed);
    m_cancel->setEnabled(idle && w && (pending || w->status.state == WaveState::Active));
    m_cancel->setText(w && !w->pushed ? tr("Remove from the draft…") : tr("Cance&l wave…"));
    m_create->setEnabled(idle);
}

void WavesPage::showDetails()
{
    const WaveInfo *w = selectedInfo();
    if (!w) {
        m_details->clear();
        return;
    }
    const QDateTime t = now();
    const Wave &wave = w->wave;
    const WaveStatus &st = w->status;
    QStringList lines;
    lines << tr("Wave %1: %2").arg(wave.name, waveStateTitle(st.state));
    lines << tr("%1 area, %n user mapping(s)", nullptr, int(wave.users.size())).arg(areaTitle(wave.area));
    if (wave.withOutbound)
        lines << tr("With %n Outbound inverse(s) (the round-trip rule)", nullptr, int(wave.outbound.size()));
    lines << tr("Activation: %1 (%2)").arg(waveTimeText(wave.at), waveCountdown(wave.at, t));
    lines << (wave.expire.isValid()
                  ? tr("Expiry: %1 (%2)").arg(waveTimeText(wave.expire), waveCountdown(wave.expire, t))
                  : tr("Expiry: none, the mappings stay"));
    if (!w->pushed)
        lines << tr("Only in the draft: push to schedule it.");
    else if (!w->inDraft)
        lines << tr("Removed from the draft: the next push removes it from the schedule.");
    if (wave.applyAnyway)
        lines << tr("Applied at its time even if a check fails.");
    if (!st.note.isEmpty())
        lines << tr("Note: %1").arg(st.note);
    if (st.activatedAt.isValid())
        lines << tr("Activated %1 (generation %2)")
                     .arg(waveTimeText(st.activatedAt))
                     .arg(st.activatedGeneration);
    if (st.endedAt.isValid())
        lines << (st.endedGeneration > 0
                      ? tr("Ended %1 (generation %2)").arg(waveTimeText(st.endedAt)).arg(st.endedGeneration)
                      : tr("Ended %1").arg(waveTimeText(st.endedAt)));
    lines << QString();
    if (st.lastCheck) {
        const WaveCheck &c = *st.lastCheck;
        lines << (c.passed() ? tr("Last check (%1, %2): passed").arg(c.trigger, waveTimeText(c.time))
                             : tr("Last check (%1, %2): FAILED").arg(c.trigger, waveTimeText(c.time)));
        for (const QString &l : c.lines())
            lines << QStringLiteral("  ") + l;
    } else {
        lines << tr(
            "Not checked yet (checks run 24 hours and 1 hour before the activation, or with Check now).");
    }
    if (m_checking == wave.name)
        lines << tr("Checking…");
    if (st.activatedAt.isValid()) {
        lines << QString();
        lines << (m_reportFor == wave.name && !m_reportText.isEmpty() ? m_reportText
                                                                      : tr("Reading the report…"));
    }
    lines << QString() << tr("Mappings:");
    for (qsizetype i = 0; i < wave.users.size() && i < kMaxMappingsShown; ++i)
        lines << QStringLiteral("  %1 → %2").arg(wave.users[i].source, wave.users[i].target);
    if (wave.users.size() > kMaxMappingsShown)
        lines << tr("  … and %n more", nullptr, int(wave.users.size() - kMaxMappingsShown));
    const int scroll = m_details->verticalScrollBar() ? m_details->verticalScrollBar()->value() : 0;
    m_details->setPlainText(lines.join(QLatin1Char('\n')));
    m_details->verticalScrollBar()->setValue(scroll);

    // The report of an active or ended wave, read once per selection.
    if (st.activatedAt.isValid() && m_reportFor != wave.name) {
        m_reportFor = wave.name;
        m_reportText.clear();
        const QString name = wave.name;
        m_background->run(
            this,
            [name, t](ConfigStore &store) {
                WaveStore waves(store);
                return waves.report(name, t);
            },
            [this, name](const Result<WaveReport> &r) {
                if (m_reportFor != name)
                    return;
                if (!r) {
                    m_reportText = tr("No report: %1").arg(r.error);
                } else {
                    QStringList out;
                    out << tr("Report, first hour after activation (%1 to %2): %3 delivered, %4 deferred, %5 "
                              "bounced")
                               .arg(waveTimeText(r->from), waveTimeText(r->to))
                               .arg(r->delivered)
                               .arg(r->deferred)
                               .arg(r->bounced);
                    for (qsizetype i = 0; i < r->rows.size() && i < kMaxReportRows; ++i) {
                        const WaveReport::Row &row = r->rows[i];
                        out << tr("  %1: %2 delivered, %3 deferred, %4 bounced")
                                   .arg(row.target)
                                   .arg(row.delivered)
                                   .arg(row.deferred)
                                   .arg(row.bounced);
                    }
                    if (r->rows.isEmpty())
                        out << tr("  No messages to the wave's targets yet.");
                    m_reportText = out.join(QLatin1Char('\n'));
                }
                showDetails();
            });
    }
}

void WavesPage::createWave()
{
    auto *dialog = new WaveCreateDialog(m_background, now(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &WaveCreateDialog::created, this, [this](const QString &name) {
        m_banner->showMessage(tr("Wave %1 is in the draft. Push to schedule it.").arg(name),
                              InfoBanner::Kind::Success);
        emit changed();
        reload([this, name] { selectWave(name); });
    });
    dialog->open();
}

void WavesPage::finishAction(const QString &error, const QString &success)
{
    --m_running;
    if (error.isEmpty())
        m_banner->showMessage(success, InfoBanner::Kind::Success);
    else
        m_banner->showMessage(error, InfoBanner::Kind::Error);
    m_reportFor.clear();
    emit changed();
    reload();
}

void WavesPage::checkNow()
{
    const WaveInfo *w = selectedInfo();
    if (!w || m_running > 0)
        return;
    const QString name = w->wave.name;
    ++m_running;
    m_checking = name;
    updateButtons();
    showDetails();
    struct Prepared
    {
        QString error;
        WaveChecker::Options options;
    };
    m_background->run(
        this,
        [name](ConfigStore &store) {
            Prepared p;
            WaveStore waves(store);
            const Result<WaveInfo> info = waves.info(name);
            const Result<ConfigData> after = waves.resultingConfig(name);
            if (!info || !after) {
                p.error = info ? after.error : info.error;
                return p;
            }
            p.options.wave = info->wave;
            p.options.after = *after;
            if (const std::optional<qint64> active = store.activeGeneration())
                p.options.before = store.generationConfig(*active).value.value_or(ConfigData{});
            return p;
        },
        [this, name](Prepared p) {
            if (!p.error.isEmpty()) {
                m_checking.clear();
                finishAction(tr("Wave %1 cannot be checked: %2").arg(name, p.error), {});
                return;
            }
            if (!m_checker) {
                m_checker = new WaveChecker(this);
            }
            disconnect(m_checker, nullptr, this, nullptr);
            connect(m_checker, &WaveChecker::finished, this, [this, name](const WaveCheck &check) {
                m_background->run(
                    this,
                    [name, check](ConfigStore &store) {
                        WaveStore waves(store);
                        const Result<WaveStatus> r = waves.recordCheck(name, check);
                        return r ? QString() : r.error;
                    },
                    [this, name, passed = check.passed()](const QString &error) {
                        m_checking.clear();
                        if (!error.isEmpty()) {
                            finishAction(
                                tr("The check of wave %1 could not be recorded: %2").arg(name, error), {});
                            return;
                        }
                        --m_running;
                        m_banner->showMessage(
                            passed ? tr("Wave %1: the check passed.").arg(name)
                                   : tr("Wave %1: the check FAILED; see its details.").arg(name),
                            passed ? InfoBanner::Kind::Success : InfoBanner::Kind::Warning);
                        reload();
                    });
            });
            p.options.nameserver = m_nameserver;
            p.options.trigger = QStringLiteral("on demand");
            m_checker->start(std::move(p.options));
        });
}

void WavesPage::applyNow()
{
    const WaveInfo *w = selectedInfo();
    if (!w || m_running > 0)
        return;
    const QString name = w->wave.name;
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Apply wave now"),
                        tr("Apply wave %1 now? A new generation is made from the active one with its %n "
                           "mapping(s); the relay uses it at once. Its activation time is not waited for.",
                           nullptr, int(w->wave.users.size()))
                            .arg(name),
                        QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmApplyWave"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *apply = box->addButton(tr("Apply now"), QMessageBox::AcceptRole);
    box->addButton(QMessageBox::Cancel);
    box->setDefaultButton(QMessageBox::Cancel);
    runWhenConfirmed(
        box, apply,
        [name](ConfigStore &store, const QDateTime &t) {
            WaveStore waves(store);
            const Result<PushResult> r = waves.apply(name, t, QStringLiteral("on demand"));
            return r ? qMakePair(QString(), r->generation) : qMakePair(r.error, qint64(0));
        },
        [this, name](const ActionResult &r) {
            finishAction(r.first.isEmpty() ? QString() : tr("Wave %1 was not applied: %2").arg(name, r.first),
                         tr("Wave %1 is active: generation %2.").arg(name).arg(r.second));
        });
}

void WavesPage::runWhenConfirmed(QMessageBox *box, QPushButton *yes,
                                 std::function<ActionResult(ConfigStore &, const QDateTime &)> work,
                                 std::function<void(const ActionResult &)> done)
{
    connect(box, &QMessageBox::finished, this,
            [this, box, yes, work = std::move(work), done = std::move(done)] {
                if (box->clickedButton() != yes)
                    return;
                ++m_running;
                updateButtons();
                const QDateTime t = now();
                m_background->run(
                    this, [work, t](ConfigStore &store) { return work(store, t); }, done);
            });
    box->open();
}

void WavesPage::cancelWave()
{
    const WaveInfo *w = selectedInfo();
    if (!w || m_running > 0)
        return;
    const QString name = w->wave.name;
    const bool draftOnly = !w->pushed;
    const bool active = w->status.state == WaveState::Active;
    const QString question =
        draftOnly ? tr("Remove wave %1 from the draft? It was never pushed.").arg(name)
        : active
            ? tr("Cancel wave %1? It is active: a new generation removes its mappings and restores what they "
                 "replaced.")
                  .arg(name)
            : tr("Cancel wave %1? It will not be applied.").arg(name);
    auto *box =
        new QMessageBox(QMessageBox::Question, tr("Cancel wave"), question, QMessageBox::NoButton, this);
    box->setObjectName(QStringLiteral("confirmCancelWave"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    QPushButton *yes = box->addButton(draftOnly ? tr("Remove") : tr("Cancel wave"), QMessageBox::AcceptRole);
    box->addButton(tr("Keep it"), QMessageBox::RejectRole);
    runWhenConfirmed(
        box, yes,
        [name, draftOnly](ConfigStore &store, const QDateTime &t) {
            if (draftOnly) {
                const Status st = store.removeWave(name);
                return qMakePair(st ? QString() : st.error, qint64(0));
            }
            WaveStore waves(store);
            const Result<qint64> r = waves.cancel(name, t);
            return r ? qMakePair(QString(), *r) : qMakePair(r.error, qint64(0));
        },
        [this, name, draftOnly](const ActionResult &r) {
            QString done = draftOnly ? tr("Wave %1 was removed from the draft.").arg(name)
                                     : tr("Wave %1 is cancelled.").arg(name);
            if (r.second > 0)
                done += QLatin1Char(' ') + tr("Generation %1 removed its mappings.").arg(r.second);
            finishAction(
                r.first.isEmpty() ? QString() : tr("Wave %1 was not cancelled: %2").arg(name, r.first), done);
        });
}

} // namespace mailroute
