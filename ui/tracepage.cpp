#include "ui/tracepage.h"

#include "relaycore/store/configstore.h"
#include "ui/backgroundstore.h"
#include "ui/columnfit.h"
#include "ui/displaytime.h"
#include "ui/filedialogs.h"
#include "ui/infobanner.h"
#include "ui/traceexport.h"
#include "ui/tracereader.h"
#include "ui/traceresultmodel.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace mailroute {

namespace {

// The fields of a timeline event in the order an admin reads them.
QString eventDetails(const TraceEvent &event)
{
    static const QStringList order = {
        QStringLiteral("from"),         QStringLiteral("to"),     QStringLiteral("rule"),
        QStringLiteral("scope"),        QStringLiteral("match"),  QStringLiteral("relay"),
        QStringLiteral("reply"),        QStringLiteral("reason"), QStringLiteral("attempts"),
        QStringLiteral("next_attempt"), QStringLiteral("dsn"),    QStringLiteral("client"),
        QStringLiteral("helo"),         QStringLiteral("tls"),    QStringLiteral("message_id"),
        QStringLiteral("subject"),      QStringLiteral("size")};
    QStringList parts;
    const auto add = [&parts](const QString &key, const QVariant &value) {
        const QString text = value.toString();
        if (!text.isEmpty())
            parts << key + QStringLiteral(": ") + text;
    };
    for (const QString &key : order) {
        if (event.fields.contains(key))
            add(key, event.fields.value(key));
    }
    for (auto it = event.fields.cbegin(); it != event.fields.cend(); ++it) {
        if (!order.contains(it.key()))
            add(it.key(), it.value());
    }
    return parts.join(QStringLiteral("; "));
}

} // namespace

TracePage::TracePage(BackgroundStore *background, QWidget *parent)
    : QWidget(parent), m_background(background), m_banner(new InfoBanner(this)),
      m_address(new QLineEdit(this)), m_messageId(new QLineEdit(this)), m_status(new QComboBox(this)),
      m_period(new QComboBox(this)), m_since(new QDateTimeEdit(this)), m_until(new QDateTimeEdit(this)),
      m_searchButton(new QPushButton(tr("&Search"), this)),
      m_exportButton(new QPushButton(tr("&Export CSV…"), this)),
      m_copyButton(new QPushButton(tr("&Copy trace query"), this)), m_summary(new QLabel(this)),
      m_model(new TraceResultModel(this)), m_proxy(new QSortFilterProxyModel(this)),
      m_view(new QTableView(this)), m_detail(new QLabel(this)), m_timeline(new QTreeWidget(this))
{
    setObjectName(QStringLiteral("tracePage"));
    m_address->setObjectName(QStringLiteral("traceAddress"));
    m_address->setPlaceholderText(tr("Sender or recipient, original or rewritten, or a part of it"));
    m_address->setClearButtonEnabled(true);
    m_address->setAccessibleName(tr("Address"));
    m_messageId->setObjectName(QStringLiteral("traceMessageId"));
    m_messageId->setPlaceholderText(tr("Message-ID, whole or a part of it"));
    m_messageId->setClearButtonEnabled(true);
    m_messageId->setAccessibleName(tr("Message-ID"));
    m_status->setObjectName(QStringLiteral("traceStatus"));
    m_status->setAccessibleName(tr("Status"));
    m_status->addItem(tr("Any status"), -1);
    for (TraceStatus s : {TraceStatus::Delivered, TraceStatus::Deferred, TraceStatus::Bounced,
                          TraceStatus::Refused, TraceStatus::Queued})
        m_status->addItem(TraceResultModel::statusText(s), int(s));
    m_period->setObjectName(QStringLiteral("tracePeriod"));
    m_period->setAccessibleName(tr("Period"));
    m_period->addItem(tr("Last 24 hours"), int(Period::Day));
    m_period->addItem(tr("Last 7 days"), int(Period::Week));
    m_period->addItem(tr("Last 30 days"), int(Period::Month));
    m_period->addItem(tr("Last 90 days"), int(Period::Quarter));
    m_period->addItem(tr("Any time"), int(Period::Any));
    m_period->addItem(tr("Between…"), int(Period::Custom));
    m_period->setCurrentIndex(1);
    const QDateTime now = QDateTime::currentDateTime();
    for (QDateTimeEdit *edit : {m_since, m_until}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(DisplayTime::dateTimeFormat());
        edit->setVisible(false);
    }
    m_since->setObjectName(QStringLiteral("traceSince"));
    m_since->setAccessibleName(tr("Received from"));
    m_since->setDateTime(now.addDays(-1));
    m_until->setObjectName(QStringLiteral("traceUntil"));
    m_until->setAccessibleName(tr("Received until"));
    m_until->setDateTime(now.addSecs(3600));
    m_searchButton->setObjectName(QStringLiteral("traceSearch"));
    m_searchButton->setDefault(true);
    m_exportButton->setObjectName(QStringLiteral("traceExport"));
    m_exportButton->setToolTip(
        tr("Save the results as CSV, with the columns of Google's Email Log Search export"));
    m_copyButton->setObjectName(QStringLiteral("traceCopyQuery"));
    m_copyButton->setToolTip(
        tr("Copy the Exchange Online and Google Admin searches for the selected message's "
           "Message-ID, to follow it into the tenant"));
    m_summary->setObjectName(QStringLiteral("traceSummary"));
    m_summary->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(TraceResultModel::SortRole);
    m_view->setObjectName(QStringLiteral("traceResults"));
    m_view->setAccessibleName(tr("Messages found"));
    m_view->setModel(m_proxy);
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(TraceResultModel::Time, Qt::DescendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->setHorizontalScrollMode(QAbstractItemView::ScrollPerPixel);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    for (int c = 0; c < TraceResultModel::ColumnCount; ++c)
        ColumnFit::fitTitle(m_view->horizontalHeader(), c);

    m_detail->setObjectName(QStringLiteral("traceDetail"));
    m_detail->setWordWrap(true);
    m_detail->setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    m_detail->setText(tr("Choose a message to see its timeline."));
    m_timeline->setObjectName(QStringLiteral("traceTimeline"));
    m_timeline->setAccessibleName(tr("Timeline of the message"));
    m_timeline->setRootIsDecorated(false);
    m_timeline->setUniformRowHeights(true);
    m_timeline->setWordWrap(false);
    m_timeline->setTextElideMode(Qt::ElideNone);
    m_timeline->setHeaderLabels({tr("Time"), tr("Event"), tr("Area"), tr("Details")});

    // The form: two rows, labels for screen readers and mnemonics.
    auto *form = new QGridLayout;
    auto *addressLabel = new QLabel(tr("&Address:"), this);
    addressLabel->setBuddy(m_address);
    auto *idLabel = new QLabel(tr("&Message-ID:"), this);
    idLabel->setBuddy(m_messageId);
    auto *statusLabel = new QLabel(tr("S&tatus:"), this);
    statusLabel->setBuddy(m_status);
    auto *periodLabel = new QLabel(tr("&Period:"), this);
    periodLabel->setBuddy(m_period);
    form->addWidget(addressLabel, 0, 0);
    form->addWidget(m_address, 0, 1);
    form->addWidget(statusLabel, 0, 2);
    form->addWidget(m_status, 0, 3);
    form->addWidget(idLabel, 1, 0);
    form->addWidget(m_messageId, 1, 1);
    form->addWidget(periodLabel, 1, 2);
    auto *periodRow = new QHBoxLayout;
    periodRow->addWidget(m_period);
    periodRow->addWidget(m_since);
    periodRow->addWidget(m_until);
    periodRow->addStretch(1);
    form->addLayout(periodRow, 1, 3);
    form->setColumnStretch(1, 3);
    form->setColumnStretch(3, 2);
    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_searchButton);
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(m_copyButton);
    buttons->addWidget(m_exportButton);

    auto *details = new QWidget(this);
    auto *detailLayout = new QVBoxLayout(details);
    detailLayout->setContentsMargins(0, 0, 0, 0);
    detailLayout->addWidget(m_detail);
    detailLayout->addWidget(m_timeline, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->setObjectName(QStringLiteral("traceSplitter"));
    split->addWidget(m_view);
    split->addWidget(details);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_banner);
    layout->addLayout(form);
    layout->addLayout(buttons);
    layout->addWidget(split, 1);

    connect(m_searchButton, &QPushButton::clicked, this, &TracePage::search);
    connect(m_address, &QLineEdit::returnPressed, this, &TracePage::search);
    connect(m_messageId, &QLineEdit::returnPressed, this, &TracePage::search);
    connect(m_period, &QComboBox::currentIndexChanged, this, [this] {
        const bool custom = m_period->currentData().toInt() == int(Period::Custom);
        m_since->setVisible(custom);
        m_until->setVisible(custom);
    });
    connect(m_exportButton, &QPushButton::clicked, this, &TracePage::exportCsv);
    connect(m_copyButton, &QPushButton::clicked, this, &TracePage::copyTraceQuery);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
            &TracePage::selectionChanged);
    updateActions();
}

TraceQuery TracePage::query() const
{
    TraceQuery q;
    q.address = m_address->text().trimmed();
    q.messageId = m_messageId->text().trimmed();
    const int status = m_status->currentData().toInt();
    if (status >= 0)
        q.status = static_cast<TraceStatus>(status);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    switch (static_cast<Period>(m_period->currentData().toInt())) {
    case Period::Day: q.since = now.addDays(-1); break;
    case Period::Week: q.since = now.addDays(-7); break;
    case Period::Month: q.since = now.addDays(-30); break;
    case Period::Quarter: q.since = now.addDays(-90); break;
    case Period::Any: break;
    case Period::Custom:
        q.since = m_since->dateTime().toUTC();
        q.until = m_until->dateTime().toUTC();
        break;
    }
    q.limit = 5000;
    return q;
}

void TracePage::search()
{
    if (m_searching) {
        m_searchAgain = true;
        return;
    }
    const TraceQuery q = query();
    m_searching = true;
    m_summary->setText(tr("Searching…"));
    updateActions();
    m_background->run(
        this, [q](ConfigStore &store) { return TraceReader::search(store, q); },
        [this](Result<QList<TraceMessage>> result) {
            m_searching = false;
            if (m_searchAgain) {
                m_searchAgain = false;
                search();
                return;
            }
            showResults(result);
        });
}

void TracePage::showResults(const Result<QList<TraceMessage>> &result)
{
    m_timeline->clear();
    m_detail->setText(tr("Choose a message to see its timeline."));
    m_timelineFor = 0;
    if (!result) {
        m_model->setMessages({});
        m_summary->setText(QString());
        m_banner->showMessage(tr("Cannot search the trace: %1").arg(result.error), InfoBanner::Kind::Error);
        updateActions();
        emit searched();
        return;
    }
    m_banner->hide();
    m_model->setMessages(*result);
    const qsizetype n = result->size();
    m_summary->setText(
        n >= 5000 ? tr("The first %n message(s); narrow the search to see the others.", nullptr, int(n))
                  : tr("%n message(s) found", nullptr, int(n)));
    fitColumns();
    if (n == 1)
        selectRow(0);
    updateActions();
    emit searched();
}

void TracePage::fitColumns()
{
    QHeaderView *header = m_view->horizontalHeader();
    const QFontMetrics metrics(m_view->font());
    for (int c = 0; c < TraceResultModel::ColumnCount; ++c) {
        header->resizeSection(c, 0);
        ColumnFit::fitTitle(header, c);
        // Long lists of recipients: the tool tip lists them all.
        const int limit = c == TraceResultModel::ToSent || c == TraceResultModel::ToDelivered
                              ? metrics.horizontalAdvance(QLatin1Char('M')) * 80
                              : 0;
        for (int r = 0; r < m_model->rowCount(); ++r)
            ColumnFit::widen(header, c, metrics, m_model->text(r, c), limit);
    }
}

void TracePage::selectRow(int sourceRow)
{
    const QModelIndex index = m_proxy->mapFromSource(m_model->index(sourceRow, 0));
    m_view->selectionModel()->select(index, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    m_view->setCurrentIndex(index);
}

const TraceMessage *TracePage::selectedMessage() const
{
    const QModelIndexList rows = m_view->selectionModel()->selectedRows();
    if (rows.isEmpty())
        return nullptr;
    const QModelIndex source = m_proxy->mapToSource(rows.constFirst());
    return source.isValid() ? &m_model->message(source.row()) : nullptr;
}

void TracePage::selectionChanged()
{
    updateActions();
    const TraceMessage *m = selectedMessage();
    if (!m || m->traceId == m_timelineFor)
        return;
    m_timelineFor = m->traceId;
    m_loadingTimeline = true;
    m_detail->setText(tr("Reading the timeline…"));
    m_timeline->clear();
    const qint64 id = m->traceId;
    m_background->run(
        this, [id](ConfigStore &store) { return TraceReader::timeline(store, id); },
        [this, id](Result<TraceTimeline> result) {
            if (id != m_timelineFor)
                return; // another row was chosen meanwhile
            m_loadingTimeline = false;
            showTimeline(result);
        });
}

void TracePage::showTimeline(const Result<TraceTimeline> &result)
{
    m_timeline->clear();
    if (!result) {
        m_detail->setText(tr("Cannot read the timeline: %1").arg(result.error));
        emit timelineShown();
        return;
    }
    const TraceMessage &m = result->message;
    QStringList lines;
    lines << tr("Message-ID: %1").arg(m.messageId.isEmpty() ? tr("(none)") : m.messageId);
    if (!m.subject.isEmpty())
        lines << tr("Subject: %1").arg(m.subject);
    lines << tr("Queue ID: %1   Client: %2 (HELO %3)   TLS: %4   Size: %5")
                 .arg(m.queueId.isEmpty() ? tr("(none)") : m.queueId, m.client, m.helo,
                      m.tls ? (m.tlsCipher.isEmpty() ? tr("yes") : m.tlsCipher) : tr("no"),
                      m.size >= 0 ? QLocale().formattedDataSize(m.size) : tr("unknown"));
    for (const TraceRecipient &r : m.recipients) {
        QString line =
            r.original == r.deliveredTo || r.deliveredTo.isEmpty()
                ? tr("%1: %2").arg(r.original, TraceResultModel::statusText(r.status))
                : tr("%1 → %2: %3").arg(r.original, r.deliveredTo, TraceResultModel::statusText(r.status));
        if (!r.lastReply.isEmpty())
            line += QStringLiteral(" — ") + r.lastReply;
        lines << line;
    }
    m_detail->setText(lines.join(QLatin1Char('\n')));
    for (const TraceEvent &e : result->events) {
        auto *item =
            new QTreeWidgetItem(m_timeline, {DisplayTime::dateTime(e.time), e.kind,
                                             e.area ? areaTitle(*e.area) : QString(), eventDetails(e)});
        item->setToolTip(3, item->text(3));
    }
    for (int c = 0; c < m_timeline->columnCount(); ++c)
        m_timeline->resizeColumnToContents(c);
    emit timelineShown();
}

QString TracePage::detailText() const
{
    return m_detail->text();
}

QString TracePage::summaryText() const
{
    return m_summary->text();
}

void TracePage::updateActions()
{
    m_exportButton->setEnabled(m_model->rowCount() > 0);
    const TraceMessage *m = selectedMessage();
    m_copyButton->setEnabled(m && !m->messageId.isEmpty());
}

void TracePage::exportCsv()
{
    if (m_model->rowCount() == 0)
        return;
    FileDialogs::saveCsv(this, QStringLiteral("traceExportDialog"), tr("Export the trace results"),
                         TraceExport::suggestedFileName(), [this](const QString &path) {
                             // In the order shown.
                             QList<TraceMessage> rows;
                             for (int r = 0; r < m_proxy->rowCount(); ++r)
                                 rows << m_model->message(m_proxy->mapToSource(m_proxy->index(r, 0)).row());
                             const QString error = TraceExport::write(path, rows);
                             if (error.isEmpty())
                                 m_banner->showMessage(
                                     tr("%n message(s) exported to %1", nullptr, int(rows.size())).arg(path),
                                     InfoBanner::Kind::Success);
                             else
                                 m_banner->showMessage(error, InfoBanner::Kind::Error);
                         });
}

void TracePage::copyTraceQuery()
{
    const TraceMessage *m = selectedMessage();
    if (!m || m->messageId.isEmpty())
        return;
    QApplication::clipboard()->setText(TraceExport::traceQueryText(*m));
    m_banner->showMessage(
        tr("The Exchange Online and Google searches for %1 are on the clipboard.").arg(m->messageId),
        InfoBanner::Kind::Info);
}

} // namespace mailroute
