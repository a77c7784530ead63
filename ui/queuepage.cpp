#include "ui/queuepage.h"

#include "relaycore/queue/spool.h"
#include "relaycore/store/operationsstore.h"
#include "ui/columnfit.h"
#include "ui/displaytime.h"
#include "ui/emptystateoverlay.h"
#include "ui/holddialog.h"
#include "ui/infobanner.h"
#include "ui/queuemodel.h"

#include <QDateTime>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <algorithm>

namespace mailroute {

QueuePage::QueuePage(QString spoolDirectory, QWidget *parent)
    : QWidget(parent), m_directory(std::move(spoolDirectory)), m_model(new QueueModel(this)),
      m_view(new QTableView(this)), m_banner(new InfoBanner(this)), m_status(new QLabel(this)),
      m_retry(new QPushButton(tr("&Retry Now"), this)), m_delete(new QPushButton(tr("&Delete…"), this)),
      m_timer(new QTimer(this)), m_eventRefresh(new QTimer(this))
{
    setObjectName(QStringLiteral("queuePage"));
    auto *layout = new QVBoxLayout(this);
    auto *title = new QLabel(tr("Queue"), this);
    title->setObjectName(QStringLiteral("pageTitle"));
    QFont f = title->font();
    f.setPointSizeF(f.pointSizeF() * 1.4);
    f.setBold(true);
    title->setFont(f);
    layout->addWidget(title);
    auto *intro =
        new QLabel(tr("Messages the relay accepted and still has to deliver. Temporary failures are "
                      "retried on the schedule of Settings ▸ Retry schedule, then bounced."),
                   this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    layout->addWidget(m_banner);

    m_view->setObjectName(QStringLiteral("queueTable"));
    m_view->setAccessibleName(tr("Queued messages"));
    m_view->setModel(m_model);
    m_view->verticalHeader()->hide();
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setSectionResizeMode(QHeaderView::Fixed);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    QHeaderView *header = m_view->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::Interactive);
    const int em = fontMetrics().horizontalAdvance(QLatin1Char('M'));
    const QFontMetrics fm = m_view->fontMetrics();
    const QString sampleTime = DisplayTime::dateTime(QDateTime(QDate(2026, 12, 28), QTime(23, 59, 59)));
    header->resizeSection(QueueModel::QueueIdColumn,
                          fm.horizontalAdvance(QStringLiteral("WWWWWWWWWWWW")) + em / 2);
    header->resizeSection(QueueModel::ArrivalColumn, fm.horizontalAdvance(sampleTime) + em);
    header->resizeSection(QueueModel::SenderColumn, em * 14);
    header->resizeSection(QueueModel::RecipientsColumn, em * 14);
    header->resizeSection(QueueModel::AttemptsColumn,
                          fm.horizontalAdvance(QueueModel::tr("Attempts")) + em * 2);
    header->resizeSection(QueueModel::NextAttemptColumn, fm.horizontalAdvance(sampleTime) + em);
    header->resizeSection(QueueModel::SizeColumn, fm.horizontalAdvance(QStringLiteral("999.9 KiB")) + em);
    // Every header readable (issue 12: "Last error" was squashed at 1024 px);
    // a view narrower than the columns scrolls horizontally.
    header->resizeSection(QueueModel::LastErrorColumn, em * 20);
    for (int c = 0; c < QueueModel::ColumnCount; ++c)
        ColumnFit::fitTitle(header, c);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->setTextElideMode(Qt::ElideRight);
    new EmptyStateOverlay(m_view,
                          tr("The queue is empty.\nMessages waiting for a retry (a next hop that answered "
                             "4xx or could not be reached) show up here, with the reason."));
    layout->addWidget(m_view, 1);

    auto *buttons = new QHBoxLayout;
    m_status->setObjectName(QStringLiteral("queueStatus"));
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->setToolTip(tr("Deliver the selected messages (all, if none is selected) as soon as possible"));
    m_delete->setObjectName(QStringLiteral("deleteQueuedButton"));
    m_delete->setToolTip(tr("Drop the selected messages without a bounce"));
    auto *refresh = new QPushButton(tr("Re&fresh"), this);
    buttons->addWidget(m_status, 1);
    buttons->addWidget(refresh);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_delete);
    layout->addLayout(buttons);

    // Held domains: mail for them waits, neither attempted nor bounced.
    auto *holdTitle = new QLabel(tr("Held domains"), this);
    QFont hf = holdTitle->font();
    hf.setBold(true);
    holdTitle->setFont(hf);
    layout->addWidget(holdTitle);
    m_holds = new QTableWidget(0, 4, this);
    m_holds->setObjectName(QStringLiteral("holdsTable"));
    m_holds->setAccessibleName(tr("Held domains"));
    m_holds->setHorizontalHeaderLabels({tr("Domain"), tr("Held since"), tr("Until"), tr("Waiting")});
    m_holds->verticalHeader()->hide();
    m_holds->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_holds->setSelectionMode(QAbstractItemView::SingleSelection);
    m_holds->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_holds->horizontalHeader()->setStretchLastSection(true);
    m_holds->setMaximumHeight(m_view->fontMetrics().height() * 8);
    new EmptyStateOverlay(m_holds,
                          tr("No domain is on hold. Hold one while a tenant re-verifies it: its mail "
                             "waits in the queue until you release it."));
    layout->addWidget(m_holds);
    auto *holdButtons = new QHBoxLayout;
    m_hold = new QPushButton(tr("&Hold…"), this);
    m_hold->setObjectName(QStringLiteral("holdButton"));
    m_hold->setToolTip(
        tr("Hold the mail for a domain: queued, neither attempted nor bounced until released"));
    m_release = new QPushButton(tr("Re&lease"), this);
    m_release->setObjectName(QStringLiteral("releaseButton"));
    m_release->setToolTip(tr("Release the selected domain: its mail is attempted at once"));
    holdButtons->addStretch(1);
    holdButtons->addWidget(m_hold);
    holdButtons->addWidget(m_release);
    layout->addLayout(holdButtons);
    m_hold->setEnabled(false);
    m_release->setEnabled(false);
    connect(m_hold, &QPushButton::clicked, this, &QueuePage::openHoldDialog);
    connect(m_release, &QPushButton::clicked, this, &QueuePage::releaseSelectedHold);

    connect(refresh, &QPushButton::clicked, this, &QueuePage::refresh);
    connect(m_retry, &QPushButton::clicked, this, &QueuePage::retrySelected);
    connect(m_delete, &QPushButton::clicked, this, &QueuePage::deleteSelected);
    m_timer->setObjectName(QStringLiteral("queuePollTimer"));
    m_timer->setInterval(2000);
    // The engine's events (received, delivered, deferred, ...) refresh at
    // once, batched: the list follows Retry Now without waiting for the poll.
    m_eventRefresh->setObjectName(QStringLiteral("queueEventRefresh"));
    m_eventRefresh->setSingleShot(true);
    m_eventRefresh->setInterval(kEventRefreshMs);
    connect(m_eventRefresh, &QTimer::timeout, this, &QueuePage::refresh);
    connect(m_timer, &QTimer::timeout, this, &QueuePage::refresh);
}

QueuePage::~QueuePage() = default; // here: OperationsStore is complete

void QueuePage::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    refresh();
    m_timer->start();
}

void QueuePage::hideEvent(QHideEvent *event)
{
    QWidget::hideEvent(event);
    m_timer->stop();
}

bool QueuePage::openSpool()
{
    if (m_spool)
        return true;
    // No spool yet (the relay never ran): nothing queued, and no file created.
    if (!QFileInfo::exists(m_directory + QLatin1Char('/') + Spool::databaseFileName()))
        return false;
    auto spool = std::make_unique<Spool>(m_directory, Spool::Role::Admin);
    if (const Status st = spool->open(); !st) {
        m_status->setText(tr("Cannot open the spool in %1: %2").arg(m_directory, st.error));
        return false;
    }
    m_spool = std::move(spool);
    return true;
}

void QueuePage::refresh()
{
    refreshHolds();
    if (!openSpool()) {
        m_model->setMessages({});
        if (m_status->text().isEmpty() || !m_spool)
            m_status->setText(tr("No spool yet in %1.").arg(m_directory));
        m_retry->setEnabled(false);
        m_delete->setEnabled(false);
        return;
    }
    const Result<QList<QueuedMessage>> messages = m_spool->list();
    if (!messages) {
        m_status->setText(tr("Cannot read the queue: %1").arg(messages.error));
        return;
    }
    m_model->setMessages(*messages);
    fitContents();
    m_status->setText(tr("%n message(s) waiting", nullptr, m_model->rowCount()) + QStringLiteral(" · ") +
                      (m_spool->isEngineRunning() ? tr("the relay is running") : tr("the relay is stopped")));
    m_retry->setEnabled(m_model->rowCount() > 0);
    m_delete->setEnabled(m_model->rowCount() > 0);
}

void QueuePage::relayEvents(const QList<MessageLogEntry> &events)
{
    if (!isVisible() || m_eventRefresh->isActive())
        return;
    for (const MessageLogEntry &e : events) {
        // Events of a queued message change the queue; a refusal or a
        // listener event does not.
        if (!e.queueId.isEmpty()) {
            m_eventRefresh->start();
            return;
        }
    }
}

// Sender, recipients and the last error shown whole (up to a limit for long
// errors, whose full text is in the tool tip).
void QueuePage::fitContents()
{
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics fm = m_view->fontMetrics();
    const int limit = fm.horizontalAdvance(QLatin1Char('M')) * 60;
    const int rows = std::min(m_model->rowCount(), 500);
    for (int row = 0; row < rows; ++row) {
        for (int column : {int(QueueModel::SenderColumn), int(QueueModel::RecipientsColumn),
                           int(QueueModel::LastErrorColumn)})
            ColumnFit::widen(header, column, fm, m_model->index(row, column).data().toString(), limit);
    }
}

QStringList QueuePage::selectedQueueIds() const
{
    QStringList ids;
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    for (const QModelIndex &index : rows)
        ids << m_model->messageAt(index.row()).queueId;
    return ids;
}

void QueuePage::retrySelected()
{
    if (!openSpool())
        return;
    QStringList ids = selectedQueueIds();
    QStringList errors;
    bool requested = false;
    if (ids.isEmpty()) {
        const auto r = m_spool->requestFlush();
        if (!r)
            errors << r.error;
        else
            requested = *r == Spool::ControlOutcome::Requested;
    }
    for (const QString &id : ids) {
        const auto r = m_spool->requestFlush(id);
        if (!r)
            errors << r.error;
        else
            requested = *r == Spool::ControlOutcome::Requested;
    }
    if (!errors.isEmpty())
        m_banner->showMessage(errors.join(QLatin1Char('\n')), InfoBanner::Kind::Error);
    else
        m_banner->showMessage(requested ? tr("Retry requested: the relay tries again within a second.")
                                        : tr("Marked for delivery at once when the relay runs next."),
                              InfoBanner::Kind::Success);
    refresh();
}

void QueuePage::deleteSelected()
{
    const QStringList ids = selectedQueueIds();
    if (ids.isEmpty()) {
        m_banner->showMessage(tr("Select the messages to delete first."), InfoBanner::Kind::Info);
        return;
    }
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Delete"),
                                tr("Delete %n queued message(s)?", nullptr, static_cast<int>(ids.size())),
                                QMessageBox::Yes | QMessageBox::Cancel, this);
    box->setObjectName(QStringLiteral("confirmDeleteQueued"));
    box->setInformativeText(
        tr("They are dropped without a bounce to the sender, and their content is erased."));
    box->button(QMessageBox::Yes)->setText(tr("Delete"));
    box->setDefaultButton(QMessageBox::Cancel);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::finished, this, [this, box, ids](int) {
        if (box->clickedButton() != box->button(QMessageBox::Yes) || !openSpool())
            return;
        QStringList errors;
        for (const QString &id : ids) {
            if (const auto r = m_spool->requestDelete(id); !r)
                errors << r.error;
        }
        if (!errors.isEmpty())
            m_banner->showMessage(errors.join(QLatin1Char('\n')), InfoBanner::Kind::Error);
        else
            m_banner->showMessage(tr("%n message(s) deleted.", nullptr, static_cast<int>(ids.size())),
                                  InfoBanner::Kind::Success);
        refresh();
    });
    box->open();
}

void QueuePage::setDatabasePath(const QString &path)
{
    m_databasePath = path;
    m_hold->setEnabled(!path.isEmpty());
    refreshHolds();
}

OperationsStore *QueuePage::operations()
{
    if (!m_ops && !m_databasePath.isEmpty()) {
        auto ops = std::make_unique<OperationsStore>(m_databasePath);
        if (const Status st = ops->open(); !st) {
            m_banner->showMessage(tr("Cannot read the domain holds: %1").arg(st.error),
                                  InfoBanner::Kind::Error);
            return nullptr;
        }
        m_ops = std::move(ops);
    }
    return m_ops.get();
}

void QueuePage::refreshHolds()
{
    OperationsStore *store = operations();
    if (!store)
        return;
    const auto holds = store->holds();
    if (!holds)
        return;
    // Waiting: queued recipients of the domain, from the spool.
    QHash<QString, int> waiting;
    if (m_spool) {
        if (const auto messages = m_spool->list()) {
            for (const QueuedMessage &m : *messages) {
                for (const QueuedRecipient &r : m.recipients) {
                    if (r.status != RecipientStatus::Queued)
                        continue;
                    const QString a = r.address.section(QLatin1Char('@'), -1).toLower();
                    const QString b = r.originalAddress.section(QLatin1Char('@'), -1).toLower();
                    waiting[a] += 1;
                    if (b != a)
                        waiting[b] += 1;
                }
            }
        }
    }
    const QString selected = m_holds->currentRow() >= 0 && m_holds->item(m_holds->currentRow(), 0)
                                 ? m_holds->item(m_holds->currentRow(), 0)->data(Qt::UserRole).toString()
                                 : QString();
    const QDateTime now = QDateTime::currentDateTimeUtc();
    m_holds->setRowCount(0);
    for (const DomainHold &h : *holds) {
        if (h.until.isValid() && h.until <= now)
            continue;
        const int row = m_holds->rowCount();
        m_holds->insertRow(row);
        auto *domain = new QTableWidgetItem(QLatin1Char('@') + h.domain);
        domain->setData(Qt::UserRole, h.domain);
        m_holds->setItem(row, 0, domain);
        m_holds->setItem(row, 1, new QTableWidgetItem(DisplayTime::dateTime(h.since)));
        m_holds->setItem(
            row, 2,
            new QTableWidgetItem(h.until.isValid() ? DisplayTime::dateTime(h.until) : tr("until released")));
        m_holds->setItem(row, 3, new QTableWidgetItem(QString::number(waiting.value(h.domain))));
        if (h.domain == selected)
            m_holds->selectRow(row);
    }
    m_release->setEnabled(m_holds->rowCount() > 0);
}

void QueuePage::openHoldDialog()
{
    auto *dialog = new HoldDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this,
            [this, dialog] { holdDomain(dialog->domain(), dialog->until()); });
    dialog->open();
}

bool QueuePage::holdDomain(const QString &domain, const QDateTime &until)
{
    OperationsStore *store = operations();
    const Status st = store ? store->addHold(domain, until, QDateTime::currentDateTimeUtc())
                            : Status::failure(tr("the database cannot be opened"));
    if (!st) {
        m_banner->showMessage(tr("Cannot hold %1: %2").arg(domain, st.error), InfoBanner::Kind::Error);
        return false;
    }
    m_banner->showMessage(tr("@%1 is on hold: its mail waits in the queue until you release it.").arg(domain),
                          InfoBanner::Kind::Success);
    refreshHolds();
    return true;
}

void QueuePage::releaseSelectedHold()
{
    int row = m_holds->currentRow();
    if (row < 0 && m_holds->rowCount() == 1)
        row = 0;
    if (row < 0 || !m_holds->item(row, 0)) {
        m_banner->showMessage(tr("Select the domain to release first."), InfoBanner::Kind::Info);
        return;
    }
    const QString domain = m_holds->item(row, 0)->data(Qt::UserRole).toString();
    OperationsStore *store = operations();
    const Status st = store ? store->releaseHold(domain, QDateTime::currentDateTimeUtc())
                            : Status::failure(tr("the database cannot be opened"));
    if (!st)
        m_banner->showMessage(tr("Cannot release %1: %2").arg(domain, st.error), InfoBanner::Kind::Error);
    else
        m_banner->showMessage(tr("@%1 is released: its mail is attempted now.").arg(domain),
                              InfoBanner::Kind::Success);
    refreshHolds();
}

} // namespace mailroute
